using FactoryMesh.Core.Tenants;
using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>One model to place: its needs, its tenant's policy, the nodes to choose from, and the replicas that stay.</summary>
/// <param name="Model">What the model needs.</param>
/// <param name="Policy">The owning tenant's constraints and objective weights.</param>
/// <param name="Candidates">Every node that could host a replica; each is chosen or excluded with a reason.</param>
/// <param name="KeptNodeIds">
/// Nodes whose healthy replicas stay. They count toward <see cref="ModelSpec.Replicas"/>, <see cref="ModelSpec.MinSites"/> and the
/// budget, and are never chosen again. List them among <paramref name="Candidates"/> too, so their site and cost are known; one
/// missing there still counts as a replica, its site read from its id, its cost taken as zero.
/// </param>
/// <param name="Now">The instant trust is judged at.</param>
/// <param name="MinRemainingFreshness">How long a node's trust must still last for it to receive a replica.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementRequest(
    [property: Id(0)] ModelSpec Model,
    [property: Id(1)] TenantPolicy Policy,
    [property: Id(2)] IReadOnlyList<PlacementCandidate> Candidates,
    [property: Id(3)] IReadOnlyList<string> KeptNodeIds,
    [property: Id(4)] DateTimeOffset Now,
    [property: Id(5)] TimeSpan MinRemainingFreshness);
