-- Which of the project's schema scripts this database has run, by content hash: a server started with schema
-- installation off (FactoryMesh:InstallSchema=false) compares it with the scripts it carries and refuses to start on
-- a database that `fmctl db init` has not brought up to its version.
CREATE TABLE IF NOT EXISTS SchemaScriptApplied
(
    Name            text   NOT NULL PRIMARY KEY,
    Sha256          text   NOT NULL,
    AppliedAtUnixMs bigint NOT NULL
);
