-- FactoryMesh schema for SQLite, the embedded default. Written for this project; every statement is
-- idempotent because the installer runs all scripts on every start.
--
-- Orleans' ADO.NET providers read their SQL from this table at start-up, by key, and bind parameters
-- and result columns by name. The texts below are ours; only the keys and names are Orleans' contract.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
