-- Partitioned grain state: the node grains' durable state, written by FactoryMesh's group-commit storage
-- (many grains' writes in one transaction) rather than by Orleans' ADO.NET provider (one transaction per
-- write, which through SQLite's single writer caps a fleet at a few hundred writes a second).
--
-- GrainId is Orleans' full grain id text (type and key); Partition groups the rows that are read together
-- (a node's site), so a site rebuilds its index from one range scan. Version is the optimistic-concurrency
-- counter handed to Orleans as the ETag; a NULL payload is a cleared grain that keeps its version.
CREATE TABLE IF NOT EXISTS PartitionedGrainState
(
    ServiceId     TEXT    NOT NULL,
    GrainId       TEXT    NOT NULL,
    PartitionKey  TEXT    NOT NULL,
    Payload       BLOB    NULL,
    Version       INTEGER NOT NULL,
    ModifiedAtUtc TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, GrainId)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS PartitionedGrainState_ByPartition ON PartitionedGrainState (ServiceId, PartitionKey);
