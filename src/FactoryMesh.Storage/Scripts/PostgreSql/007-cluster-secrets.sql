-- Secrets every silo of a cluster shares (the token and nonce key material, the audit signing key, the token key
-- ring, the tenants' KEKs), each sealed with AES-256-GCM under the cluster's key-encryption key, which is configured
-- on each silo and never stored here. Rows are the cluster's own (its ServiceId, as Orleans keys its tables), so clusters
-- sharing a database never read each other's. Version counts replacements, for compare-and-swap updates.
CREATE TABLE IF NOT EXISTS ClusterSecret
(
    ServiceId       text   NOT NULL,
    Name            text   NOT NULL,
    Version         bigint NOT NULL,
    Sealed          bytea  NOT NULL,
    UpdatedAtUnixMs bigint NOT NULL,
    PRIMARY KEY (ServiceId, Name)
);
