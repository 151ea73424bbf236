using Microsoft.Extensions.Logging;

namespace FactoryMesh.SiteAgent.Diagnostics;

/// <summary>
/// Everything the agent logs, source-generated. Messages name nodes, epochs, states and the control plane's own
/// explanations; never a token, a key, a nonce or evidence.
/// </summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Found {Count} nodes ({Models}) on {Source}; control plane {Server}")]
    public static partial void FleetDiscovered(this ILogger logger, int count, string models, string source, string server);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Node {NodeId} registered under epoch {Epoch}; trust {Trust}")]
    public static partial void Registered(this ILogger logger, string nodeId, long epoch, string trust);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Registration of nodes of {SiteId} deferred: {Reason}")]
    public static partial void RegistrationDeferred(this ILogger logger, string siteId, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Registration refused (is the site created, and the token for it?): {Reason}")]
    public static partial void RegistrationRefused(this ILogger logger, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Registering {NodeId} again: {Reason}")]
    public static partial void Reregistering(this ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Registering all {Count} nodes again, as the control plane may have restarted")]
    public static partial void ReregisteringAll(this ILogger logger, int count);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Control plane unreachable; buffering heartbeats: {Reason}")]
    public static partial void ControlPlaneUnreachable(this ILogger logger, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Control plane reachable again after {Outage}; {Dropped} heartbeats superseded by newer samples or dropped meanwhile, {Backlog} nodes' newest to send")]
    public static partial void ControlPlaneReachable(this ILogger logger, TimeSpan outage, long dropped, int backlog);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Heartbeats refused: {Reason}")]
    public static partial void HeartbeatsRefused(this ILogger logger, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "A batch of {Count} heartbeats was refused as invalid and dropped: {Reason}")]
    public static partial void HeartbeatBatchInvalid(this ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Heartbeat of {NodeId} refused: {Reason}")]
    public static partial void HeartbeatRefused(this ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Node {NodeId} attested; trusted until {ExpiresAt:O}")]
    public static partial void Attested(this ILogger logger, string nodeId, DateTimeOffset? expiresAt);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "Node {NodeId} attested again; trusted until {ExpiresAt:O}")]
    public static partial void Reattested(this ILogger logger, string nodeId, DateTimeOffset? expiresAt);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Evidence of {NodeId} rejected by check {Check}: {Detail}")]
    public static partial void AttestationRejected(this ILogger logger, string nodeId, string check, string detail);

    [LoggerMessage(EventId = 33, Level = LogLevel.Debug, Message = "Attestation of {NodeId} deferred: {Reason}")]
    public static partial void AttestationDeferred(this ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Attestation of {NodeId} refused: {Reason}")]
    public static partial void AttestationRefused(this ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 35, Level = LogLevel.Warning, Message = "No evidence for {NodeId}: {Reason}")]
    public static partial void EvidenceUnavailable(this ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 36, Level = LogLevel.Warning, Message = "Node {NodeId} stops attesting (fault injected); it goes Stale when its attestation expires")]
    public static partial void AttestationPaused(this ILogger logger, string nodeId);

    [LoggerMessage(EventId = 37, Level = LogLevel.Information, Message = "Node {NodeId} attests again (fault lifted)")]
    public static partial void AttestationResumed(this ILogger logger, string nodeId);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Faults from {Path}: {Faults}")]
    public static partial void FaultsChanged(this ILogger logger, string path, string faults);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "The fault file {Path} is not valid, faults unchanged: {Reason}")]
    public static partial void FaultFileInvalid(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Replica {TenantId}/{ModelId} (placement {PlacementEpoch}) loaded on {NodeId}: weights decrypted to SHA-256 {Sha256}")]
    public static partial void ReplicaLoaded(this ILogger logger, string nodeId, string tenantId, string modelId, long placementEpoch, string sha256);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "Replica {TenantId}/{ModelId} (placement {PlacementEpoch}) failed to load on {NodeId}: {Reason}")]
    public static partial void ReplicaFailed(this ILogger logger, string nodeId, string tenantId, string modelId, long placementEpoch, string reason);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Replica {TenantId}/{ModelId} (placement {PlacementEpoch}) purged from {NodeId}, key wiped and weights deleted: {Reason}")]
    public static partial void ReplicaPurged(this ILogger logger, string nodeId, string tenantId, string modelId, long placementEpoch, string reason);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "Key of {TenantId}/{ModelId} for {NodeId} deferred: {Reason}")]
    public static partial void ReplicaKeyDeferred(this ILogger logger, string nodeId, string tenantId, string modelId, string reason);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "Weights left by an earlier run in {Path} could not be deleted: {Reason}")]
    public static partial void WeightsLeftover(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "No measurements this time: {Reason}")]
    public static partial void TelemetryUnavailable(this ILogger logger, string reason);
}
