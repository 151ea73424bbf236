-- The audit ledger: append-only records chained by hash, and the one signed head (see AuditChain).
-- Instants are Unix milliseconds so that both engines sort and compare them the same way.
CREATE TABLE IF NOT EXISTS AuditRecord
(
    Sequence     bigint NOT NULL PRIMARY KEY,
    NodeId       text   NULL,
    AtUnixMs     bigint NOT NULL,
    Body         text   NOT NULL,
    PreviousHash text   NOT NULL,
    Hash         text   NOT NULL
);

CREATE INDEX IF NOT EXISTS AuditRecordByNode ON AuditRecord (NodeId, Sequence);

CREATE TABLE IF NOT EXISTS AuditHead
(
    Id        integer NOT NULL PRIMARY KEY CHECK (Id = 1),
    Sequence  bigint  NOT NULL,
    Hash      text    NOT NULL,
    Signature text    NOT NULL
);
