-- Reminders: one row per (service, grain, reminder name); the primary key makes a second row for the same
-- reminder impossible, so a re-registration is an upsert that bumps the row's version (its ETag).
--
-- GrainHash is the grain's uniform 32-bit hash. Orleans sends it (and the range bounds BeginHash/EndHash)
-- as the signed reinterpretation of the unsigned value, so an integer column and signed comparisons are
-- exactly right; Orleans picks ReadRangeRows1Key or ReadRangeRows2Key by comparing the bounds in that same
-- signed order, so the range queries need no knowledge of the unsigned ring.
--
-- StartTime is timestamptz: Npgsql writes the UTC DateTime Orleans sends as an instant, independent of the
-- session time zone. Period is whole milliseconds; Orleans binds it as int or, past 2^31 ms, as bigint.
CREATE TABLE IF NOT EXISTS GrainReminder
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    GrainHash    integer     NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    Version      integer     NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- The reminder service of each silo reads its share of the hash ring; this index serves those scans.
CREATE INDEX IF NOT EXISTS GrainReminder_ByHash ON GrainReminder (ServiceId, GrainHash);

-- All reminders of one grain.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', $sql$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One reminder of one grain, or no row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', $sql$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A slice of the ring that does not wrap: begin exclusive, end inclusive.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', $sql$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A slice that wraps past the top of the signed range (or the whole ring when begin = end): everything
-- above begin plus everything up to and including end.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', $sql$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Register or re-register. Orleans takes the first row's Version as the reminder's new ETag, and the
-- upsert returns exactly one row either way.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', $sql$
INSERT INTO GrainReminder AS r (ServiceId, GrainId, ReminderName, GrainHash, StartTime, Period, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 1)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET GrainHash = excluded.GrainHash,
    StartTime = excluded.StartTime,
    Period = excluded.Period,
    Version = r.Version + 1
RETURNING r.Version AS "Version";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Unregister, only if the caller still holds the current ETag. Orleans wants one row with one column that
-- says whether a row went away (false: a stale ETag or an unknown reminder).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM GrainReminder
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Every reminder of the service (Orleans uses it to reset a test cluster).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', $sql$
DELETE FROM GrainReminder
WHERE ServiceId = @ServiceId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
