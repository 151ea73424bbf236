-- FactoryMesh schema for PostgreSQL, the cluster mode: grain state, reminders and cluster membership of
-- every silo live in one database. Written for this project; every statement is idempotent because each
-- silo runs all scripts on every start (serialized by an advisory lock, inside one transaction).
--
-- Orleans' ADO.NET providers load their SQL from this table at start-up with the fixed, unquoted text
-- SELECT QueryKey, QueryText FROM OrleansQuery, so the table keeps that name (PostgreSQL folds it to
-- lower case, and so does the query). The texts are ours; Orleans binds parameters and result columns by
-- name, so result columns carry quoted aliases in the exact spelling Orleans asks for.
--
-- Query texts are dollar-quoted ($sql$ ... $sql$) so that they read as plain SQL.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  text NOT NULL PRIMARY KEY,
    QueryText text NOT NULL
);
