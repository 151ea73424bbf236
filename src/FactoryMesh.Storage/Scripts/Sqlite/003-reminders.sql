-- Reminders: one row per (service, grain, reminder name); the primary key makes a second row for the same
-- reminder impossible, so a re-registration is an upsert that bumps the row's version (its ETag).
--
-- GrainHash is the grain's uniform 32-bit hash. Orleans sends it (and the range bounds BeginHash/EndHash)
-- as the signed reinterpretation of the unsigned value, so all range arithmetic below is on signed
-- integers; Orleans picks ReadRangeRows1Key or ReadRangeRows2Key by comparing the bounds in that same
-- signed order, so the two range queries need no knowledge of the unsigned ring.
--
-- StartTime is kept as the ISO-8601 text Microsoft.Data.Sqlite writes for a DateTime parameter (it reads
-- it back the same way); Period is whole milliseconds, which may exceed 32 bits.
CREATE TABLE IF NOT EXISTS GrainReminder
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    GrainHash    INTEGER NOT NULL,
    StartTime    TEXT    NOT NULL,
    Period       INTEGER NOT NULL,
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
) WITHOUT ROWID;

-- The reminder service of each silo reads its share of the hash ring; this index serves those scans.
CREATE INDEX IF NOT EXISTS GrainReminder_ByHash ON GrainReminder (ServiceId, GrainHash);

-- All reminders of one grain.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One reminder of one grain, or no row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A slice of the ring that does not wrap: begin exclusive, end inclusive.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A slice that wraps past the top of the signed range (or the whole ring when begin = end): everything
-- above begin plus everything up to and including end.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Register or re-register. Orleans takes the first row's Version as the reminder's new ETag, so the
-- statement returns exactly one row either way.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
INSERT INTO GrainReminder (ServiceId, GrainId, ReminderName, GrainHash, StartTime, Period, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 1)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET GrainHash = excluded.GrainHash,
    StartTime = excluded.StartTime,
    Period = excluded.Period,
    Version = GrainReminder.Version + 1
RETURNING Version;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Unregister, only if the caller still holds the current ETag. Orleans wants one row with one column that
-- says whether a row went away (false means a stale ETag or an unknown reminder).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
DELETE FROM GrainReminder
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName
  AND Version = @Version;
SELECT changes() > 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Every reminder of the service (Orleans uses it to reset a test cluster).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM GrainReminder
WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
