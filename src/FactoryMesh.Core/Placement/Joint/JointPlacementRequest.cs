using Orleans;

namespace FactoryMesh.Core.Placement.Joint;

/// <summary>Many models re-planned together on one fleet, competing for its GPUs.</summary>
/// <param name="Candidates">The fleet, shared by every model.</param>
/// <param name="Items">The models; their order does not matter.</param>
/// <param name="Now">The instant trust is judged at.</param>
/// <param name="MinRemainingFreshness">How long a node's trust must still last for it to receive a replica.</param>
/// <param name="MaxMoves">
/// The most replicas the plan may take off a node that could keep them; null for no limit. Replicas on nodes that can no
/// longer host them (untrusted, gone, out of policy) move whatever this says, and are not counted against it.
/// </param>
/// <param name="TimeLimit">How long the solver may search before it answers its best plan and bound.</param>
[GenerateSerializer, Immutable]
public sealed record JointPlacementRequest(
    [property: Id(0)] IReadOnlyList<PlacementCandidate> Candidates,
    [property: Id(1)] IReadOnlyList<JointPlacementItem> Items,
    [property: Id(2)] DateTimeOffset Now,
    [property: Id(3)] TimeSpan MinRemainingFreshness,
    [property: Id(4)] int? MaxMoves,
    [property: Id(5)] TimeSpan TimeLimit);
