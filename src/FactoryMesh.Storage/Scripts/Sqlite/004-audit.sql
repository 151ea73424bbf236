-- The audit ledger: append-only records chained by hash, and the one signed head (see AuditChain).
-- Instants are Unix milliseconds so that both engines sort and compare them the same way.
CREATE TABLE IF NOT EXISTS AuditRecord
(
    Sequence     INTEGER NOT NULL PRIMARY KEY,
    NodeId       TEXT    NULL,
    AtUnixMs     INTEGER NOT NULL,
    Body         TEXT    NOT NULL,
    PreviousHash TEXT    NOT NULL,
    Hash         TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS AuditRecordByNode ON AuditRecord (NodeId, Sequence);

CREATE TABLE IF NOT EXISTS AuditHead
(
    Id        INTEGER NOT NULL PRIMARY KEY CHECK (Id = 1),
    Sequence  INTEGER NOT NULL,
    Hash      TEXT    NOT NULL,
    Signature TEXT    NOT NULL
);
