-- Secrets every silo of a cluster shares, sealed under the cluster's key-encryption key (see the PostgreSQL script);
-- on SQLite there is one silo, but the same layout lets the embedded default keep its secrets in its database too.
CREATE TABLE IF NOT EXISTS ClusterSecret
(
    ServiceId       TEXT    NOT NULL,
    Name            TEXT    NOT NULL,
    Version         INTEGER NOT NULL,
    Sealed          BLOB    NOT NULL,
    UpdatedAtUnixMs INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, Name)
);
