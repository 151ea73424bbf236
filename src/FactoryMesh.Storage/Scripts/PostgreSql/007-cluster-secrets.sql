-- Secrets every silo of a cluster shares (the token and nonce key material, the audit signing key, the token key
-- ring, the tenants' KEKs), each sealed with AES-256-GCM under the cluster's key-encryption key, which is configured
-- on each silo and never stored here. Version counts replacements, for compare-and-swap updates.
CREATE TABLE IF NOT EXISTS ClusterSecret
(
    Name            text   NOT NULL PRIMARY KEY,
    Version         bigint NOT NULL,
    Sealed          bytea  NOT NULL,
    UpdatedAtUnixMs bigint NOT NULL
);
