-- Partitioned grain state: the node grains' durable state, written by FactoryMesh's group-commit storage
-- (many grains' writes in one transaction, sent as one batch) rather than by Orleans' ADO.NET provider
-- (one transaction and round trip per write). Same names and shape as the SQLite table.
--
-- GrainId is Orleans' full grain id text (type and key); PartitionKey groups the rows that are read
-- together (a node's site), so a site rebuilds its index from one range scan. Version is the
-- optimistic-concurrency counter handed to Orleans as the ETag; a NULL payload is a cleared grain.
CREATE TABLE IF NOT EXISTS PartitionedGrainState
(
    ServiceId     text        NOT NULL,
    GrainId       text        NOT NULL,
    PartitionKey  text        NOT NULL,
    Payload       bytea       NULL,
    Version       bigint      NOT NULL,
    ModifiedAtUtc timestamptz NOT NULL,
    PRIMARY KEY (ServiceId, GrainId)
);

CREATE INDEX IF NOT EXISTS PartitionedGrainState_ByPartition ON PartitionedGrainState (ServiceId, PartitionKey);
