-- Cluster membership for Orleans' ADO.NET clustering. Orleans' contract (IMembershipTable): the table of
-- one deployment (Orleans' ClusterId, sent as @DeploymentId) carries a version; every change to a member
-- row that Orleans counts as a membership change (insert, status or suspicion change) must also bump that
-- version, and succeeds only when the caller still holds the version it read (optimistic concurrency).
-- The ETag Orleans hands around is that version number as text; it sends it back as the integer @Version.
-- Heartbeats (IAmAliveTime) and the clean-up of long-dead silos are not versioned.
--
-- Silo status numbers are Orleans' SiloStatus enum: 3 = Active, 6 = Dead.

-- One row per deployment: its membership version.
CREATE TABLE IF NOT EXISTS ClusterVersion
(
    DeploymentId text        NOT NULL PRIMARY KEY,
    Version      integer     NOT NULL,
    ChangedAtUtc timestamptz NOT NULL
);

-- One row per silo incarnation (address, port and generation). Deleting a deployment's version row takes
-- its members with it. Times are timestamptz: Npgsql writes the UTC DateTimes Orleans sends as instants.
CREATE TABLE IF NOT EXISTS ClusterMember
(
    DeploymentId text        NOT NULL REFERENCES ClusterVersion (DeploymentId) ON DELETE CASCADE,
    Address      text        NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Create the version row of a deployment once (version 0). One boolean: whether this call created it.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO ClusterVersion (DeploymentId, Version, ChangedAtUtc)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created);
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The whole table: every member, each row carrying the table version. Orleans needs at least one row to
-- learn the version, so the version row is the left side of an outer join and a deployment without members
-- answers one row whose member columns are NULL (Orleans recognizes it by the NULL StartTime).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $sql$
SELECT v.Version AS "Version",
       m.Address AS "Address", m.Port AS "Port", m.Generation AS "Generation",
       m.SiloName AS "SiloName", m.HostName AS "HostName", m.Status AS "Status", m.ProxyPort AS "ProxyPort",
       m.SuspectTimes AS "SuspectTimes", m.StartTime AS "StartTime", m.IAmAliveTime AS "IAmAliveTime"
FROM ClusterVersion v
LEFT JOIN ClusterMember m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One member (or none) with the table version, in the same shape as the whole-table read.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $sql$
SELECT v.Version AS "Version",
       m.Address AS "Address", m.Port AS "Port", m.Generation AS "Generation",
       m.SiloName AS "SiloName", m.HostName AS "HostName", m.Status AS "Status", m.ProxyPort AS "ProxyPort",
       m.SuspectTimes AS "SuspectTimes", m.StartTime AS "StartTime", m.IAmAliveTime AS "IAmAliveTime"
FROM ClusterVersion v
LEFT JOIN ClusterMember m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Add a silo and bump the version, atomically, in one statement. The version moves only while it is still
-- @Version and the silo is not yet a member; the member row is inserted only when the version moved. Two
-- silos joining at once both aim at the same version row: the second waits for the first, then finds the
-- version changed and inserts nothing. One boolean: whether the silo was added. Should the member row
-- exist after all (it cannot, given the check and the version lock), the primary key fails the whole
-- statement, which leaves the version untouched too.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE ClusterVersion
    SET Version = Version + 1,
        ChangedAtUtc = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM ClusterMember
          WHERE DeploymentId = @DeploymentId
            AND Address = @Address
            AND Port = @Port
            AND Generation = @Generation)
    RETURNING DeploymentId
),
added AS (
    INSERT INTO ClusterMember (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
                               SuspectTimes, StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, COALESCE(@SiloName, ''), COALESCE(@HostName, ''),
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM added);
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Change a member (status, suspicions, heartbeat) and bump the version, atomically, in one statement, on
-- the same terms as the insert: only while the version is still @Version and the member exists. One
-- boolean: whether the member was changed.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE ClusterVersion
    SET Version = Version + 1,
        ChangedAtUtc = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND EXISTS (
          SELECT 1 FROM ClusterMember
          WHERE DeploymentId = @DeploymentId
            AND Address = @Address
            AND Port = @Port
            AND Generation = @Generation)
    RETURNING DeploymentId
),
changed AS (
    UPDATE ClusterMember m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM bumped
    WHERE m.DeploymentId = bumped.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM changed);
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Heartbeat: not a membership change, so no version check and no version bump.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $sql$
UPDATE ClusterMember
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The gateways a client may connect to: active silos that listen for clients (@Status is Active).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $sql$
SELECT Address AS "Address", ProxyPort AS "ProxyPort", Generation AS "Generation"
FROM ClusterMember
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Forget a deployment: its version row, and with it (cascade) its members.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM ClusterVersion
WHERE DeploymentId = @DeploymentId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clean-up of one defunct silo. Orleans 10 reads the table, decides in .NET which dead silos are old
-- enough, and sends each one back with the values it saw; the row goes only if it is still dead and still
-- exactly as seen, so a row that changed in between (a late heartbeat, a new suspicion) survives. Empty
-- and NULL suspicion lists count as the same.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM ClusterMember
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Bulk clean-up by cut-off time (@IAmAliveTime). Orleans still requires the key, but uses it only when the
-- per-silo query above is missing: dead silos that neither started nor beat after the cut-off.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM ClusterMember
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND StartTime < @IAmAliveTime
  AND IAmAliveTime < @IAmAliveTime;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
