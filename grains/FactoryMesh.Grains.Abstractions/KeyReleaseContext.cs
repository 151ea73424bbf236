using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>What the key broker read from the model, tenant and site, handed to the node grain that decides and wraps.</summary>
/// <param name="ReplicaKey">The model, <c>{tenant}/{model}</c>.</param>
/// <param name="TenantId">Its tenant, whose KEK wraps the data key.</param>
/// <param name="PresentedTeeKeyJwk">The TEE key the agent presents.</param>
/// <param name="RequestedEpoch">The placement epoch the agent asks under.</param>
/// <param name="ModelReplicaEpoch">The epoch the model records for its replica on this node; null when none.</param>
/// <param name="ArtifactWrappedKey">The model's data key wrapped under the tenant's KEK, as the model holds it now.</param>
/// <param name="Policy">The tenant's policy now.</param>
/// <param name="Site">The node's site now.</param>
[GenerateSerializer, Immutable]
public sealed record KeyReleaseContext(
    [property: Id(0)] string ReplicaKey,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string PresentedTeeKeyJwk,
    [property: Id(3)] long RequestedEpoch,
    [property: Id(4)] long? ModelReplicaEpoch,
    [property: Id(5)] string ArtifactWrappedKey,
    [property: Id(6)] TenantPolicy Policy,
    [property: Id(7)] SiteProfile Site);
