using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.KeyRelease;

/// <summary>Everything a key release is judged on, read in one turn of the node grain so none of it can change midway.</summary>
/// <param name="NodeId">The node asking.</param>
/// <param name="ReplicaKey">The model, <c>{tenant}/{model}</c>.</param>
/// <param name="Now">The instant of judgement.</param>
/// <param name="Trust">The node's trust now.</param>
/// <param name="NodeTeeKind">The node's registered TEE kind.</param>
/// <param name="AttestedTeeKeyJwk">The TEE key the node's attestation bound; null when none.</param>
/// <param name="NodeReplicaEpoch">The placement epoch of the node's reservation of this model; null when it holds none.</param>
/// <param name="ModelReplicaEpoch">The placement epoch the model records for its replica on this node; null when none.</param>
/// <param name="RequestedEpoch">The placement epoch the agent asks under.</param>
/// <param name="PresentedTeeKeyJwk">The TEE key the agent presents.</param>
/// <param name="Policy">The tenant's policy as it is now.</param>
/// <param name="Site">The node's site as it is now.</param>
public sealed record KeyReleaseFacts(
    string NodeId,
    string ReplicaKey,
    DateTimeOffset Now,
    TrustStatus Trust,
    string NodeTeeKind,
    string? AttestedTeeKeyJwk,
    long? NodeReplicaEpoch,
    long? ModelReplicaEpoch,
    long RequestedEpoch,
    string PresentedTeeKeyJwk,
    TenantPolicy Policy,
    SiteProfile Site);
