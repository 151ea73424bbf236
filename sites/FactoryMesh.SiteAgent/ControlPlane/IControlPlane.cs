using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// The calls a site agent makes. Each throws <see cref="ControlPlaneUnreachableException"/> when the control plane
/// cannot be reached (after retries) and <see cref="ControlPlaneRefusedException"/> when it refuses the call.
/// </summary>
internal interface IControlPlane
{
    /// <summary>Registers (or updates) up to 1000 nodes of <paramref name="siteId"/> in one call; each registered one begins a new epoch.</summary>
    Task<IReadOnlyList<NodeRegistrationResult>> RegisterNodesAsync(string siteId, IReadOnlyList<NodeRegistrationItem> batch, CancellationToken cancellationToken);

    /// <summary>Sends one batch (at most 1000, each node once) and returns the verdict on each heartbeat.</summary>
    Task<IReadOnlyList<HeartbeatVerdict>> SendHeartbeatsAsync(string siteId, IReadOnlyList<HeartbeatReport> batch, CancellationToken cancellationToken);

    /// <summary>Asks for a fresh single-use challenge for <paramref name="nodeId"/>.</summary>
    Task<AttestationChallenge> ChallengeAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Submits evidence answering the last challenge; a rejection is a result, not an exception.</summary>
    Task<AppraisalResult> SubmitEvidenceAsync(string nodeId, EvidenceSubmission submission, CancellationToken cancellationToken);

    /// <summary>Asks for the data key of <paramref name="tenantId"/>/<paramref name="modelId"/>, wrapped to the node's TEE key; a refusal (403) throws.</summary>
    Task<ReleasedKey> ReleaseKeyAsync(string nodeId, string tenantId, string modelId, KeyReleaseRequest request, CancellationToken cancellationToken);

    /// <summary>Exchanges the agent's still valid token for a new one of the same scope and lifetime.</summary>
    Task<IssuedToken> RefreshTokenAsync(CancellationToken cancellationToken);
}
