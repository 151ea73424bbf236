-- Grain state: exactly one row per grain. The primary key is the grain's full identity, so a second row
-- for the same grain cannot exist and every write or clear answers with exactly one version (the failure
-- mode of dotnet/orleans#11303 is impossible by construction). Same names and shape as the SQLite table,
-- so tools that read GrainState work on both engines.
--
-- Orleans hands string keys over as GrainIdExtensionString with N0 = N1 = 0, and hands it NULL for plain
-- integer or GUID keys; NULL is stored as the empty string so that it takes part in the primary key.
-- The hash parameters Orleans also sends are not stored: the primary key already finds the row.
CREATE TABLE IF NOT EXISTS GrainState
(
    ServiceId     text        NOT NULL,
    GrainType     text        NOT NULL,
    GrainIdN0     bigint      NOT NULL,
    GrainIdN1     bigint      NOT NULL,
    GrainIdString text        NOT NULL,
    Payload       bytea       NULL,
    Version       integer     NOT NULL,
    ModifiedAtUtc timestamptz NOT NULL,
    PRIMARY KEY (ServiceId, GrainType, GrainIdN0, GrainIdN1, GrainIdString)
);

-- Read: the payload and its version, or no row for a grain never written. A cleared grain answers with a
-- NULL payload and its version, which Orleans reads as "no record, but this ETag".
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $sql$
SELECT Payload AS "PayloadBinary", Version AS "Version"
FROM GrainState
WHERE ServiceId = @ServiceId
  AND GrainType = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdString = COALESCE(@GrainIdExtensionString, '');
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Write with optimistic concurrency, as one statement that always yields exactly one row:
--  * a caller holding a version updates the row only while the stored version is still that one;
--  * a caller holding no version (a grain never written) inserts version 1, and only if no row exists:
--    a concurrent first writer that loses the race waits on the primary key and then inserts nothing;
--  * the final SELECT answers the new version when either branch changed a row, otherwise the version the
--    caller sent (NULL for a first write), which Orleans reports as InconsistentStateException.
-- Under READ COMMITTED a second writer with the same version blocks on the row lock and, once the first
-- commits, re-checks the version and finds it moved on, so exactly one of them wins.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE GrainState
    SET Payload = @PayloadBinary,
        Version = Version + 1,
        ModifiedAtUtc = now()
    WHERE ServiceId = @ServiceId
      AND GrainType = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainIdString = COALESCE(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version
),
inserted AS (
    INSERT INTO GrainState (ServiceId, GrainType, GrainIdN0, GrainIdN1, GrainIdString, Payload, Version, ModifiedAtUtc)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
           @PayloadBinary, 1, now()
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT COALESCE((SELECT Version FROM updated), (SELECT Version FROM inserted), @GrainStateVersion) AS "NewGrainStateVersion";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clear keeps the row with no payload, so the version keeps counting and a stale writer still conflicts.
-- One row always: the new version, or the caller's version when it was stale.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $sql$
WITH cleared AS (
    UPDATE GrainState
    SET Payload = NULL,
        Version = Version + 1,
        ModifiedAtUtc = now()
    WHERE ServiceId = @ServiceId
      AND GrainType = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainIdString = COALESCE(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version
)
SELECT COALESCE((SELECT Version FROM cleared), @GrainStateVersion) AS "NewGrainStateVersion";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
