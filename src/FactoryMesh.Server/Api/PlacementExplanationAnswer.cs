namespace FactoryMesh.Server.Api;

/// <summary>The answer of <c>GET …/placement/explain</c>: the model's placement from scratch, weighed and explained.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ModelId">The model.</param>
/// <param name="Current">The nodes the model runs on now.</param>
/// <param name="EligibleCount">How many candidates pass every hard constraint.</param>
/// <param name="Candidates">The best eligible candidates (up to the limit), best objective first.</param>
/// <param name="ExcludedCount">How many candidates got no replica.</param>
/// <param name="ExcludedByReason">Those, counted by reason.</param>
/// <param name="Excluded">The first of them (up to the limit), each with its reason in words.</param>
/// <param name="BindingConstraints">When the request cannot be met in full: what binds.</param>
/// <param name="Mode">Exact or Heuristic.</param>
public sealed record PlacementExplanationAnswer(
    string TenantId,
    string ModelId,
    IReadOnlyList<string> Current,
    int EligibleCount,
    IReadOnlyList<ExplainedCandidate> Candidates,
    int ExcludedCount,
    IReadOnlyDictionary<string, int> ExcludedByReason,
    IReadOnlyList<ExclusionAnswer> Excluded,
    IReadOnlyList<string> BindingConstraints,
    string Mode);
