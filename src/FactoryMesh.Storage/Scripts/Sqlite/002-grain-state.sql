-- Grain state: exactly one row per grain. The primary key is the grain's full identity, so a second row
-- for the same grain cannot exist, and every write or clear answers with exactly one version
-- (the failure mode of dotnet/orleans#11303 is impossible by construction).
--
-- Orleans hands string keys over as GrainIdExtensionString with N0 = N1 = 0, and may hand it NULL for
-- integer or GUID keys; NULL is stored as '' so that the key stays unique under SQLite's NULL rules.
-- The hash parameters Orleans also sends are not stored: the primary key already finds the row.
CREATE TABLE IF NOT EXISTS GrainState
(
    ServiceId              TEXT    NOT NULL,
    GrainType              TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainIdString          TEXT    NOT NULL,
    Payload                BLOB    NULL,
    Version                INTEGER NOT NULL,
    ModifiedAtUtc          TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, GrainType, GrainIdN0, GrainIdN1, GrainIdString)
) WITHOUT ROWID;

-- Read: the payload and its version, or no row for a grain never written.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT Payload AS PayloadBinary, Version
FROM GrainState
WHERE ServiceId = @ServiceId
  AND GrainType = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdString = COALESCE(@GrainIdExtensionString, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Write with optimistic concurrency, as one upsert. Its SELECT yields the new row only for a new grain (no
-- version yet) or a grain whose row exists, so a caller holding a version for a row that is gone writes
-- nothing. An existing row is updated only when its version is the one the caller last saw. The second
-- SELECT then always returns one row: the new version when the upsert changed a row, otherwise the version
-- the caller sent, which Orleans reads as a conflict (InconsistentStateException).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO GrainState (ServiceId, GrainType, GrainIdN0, GrainIdN1, GrainIdString, Payload, Version, ModifiedAtUtc)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
       @PayloadBinary, 1, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM GrainState
              WHERE ServiceId = @ServiceId AND GrainType = @GrainTypeString AND GrainIdN0 = @GrainIdN0
                AND GrainIdN1 = @GrainIdN1 AND GrainIdString = COALESCE(@GrainIdExtensionString, ''''))
ON CONFLICT (ServiceId, GrainType, GrainIdN0, GrainIdN1, GrainIdString) DO UPDATE
SET Payload = excluded.Payload,
    Version = GrainState.Version + 1,
    ModifiedAtUtc = excluded.ModifiedAtUtc
WHERE GrainState.Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN COALESCE(@GrainStateVersion, 0) + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clear keeps the row with no payload, so the version keeps counting and a stale writer still conflicts.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE GrainState
SET Payload = NULL,
    Version = Version + 1,
    ModifiedAtUtc = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE ServiceId = @ServiceId
  AND GrainType = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdString = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
