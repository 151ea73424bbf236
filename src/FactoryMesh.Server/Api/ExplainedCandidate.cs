namespace FactoryMesh.Server.Api;

/// <summary>One eligible candidate as the solver weighs it.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="SiteId">Its site.</param>
/// <param name="Gpus">Whole GPUs a replica takes there.</param>
/// <param name="CostUsdPerHour">A replica's cost there, USD/h.</param>
/// <param name="CostUsdPerMTok">USD per million tokens.</param>
/// <param name="JoulesPerToken">Facility energy per token.</param>
/// <param name="GramsCo2PerToken">Carbon per token.</param>
/// <param name="Objective">The tenant-weighted normalized objective (1 = best on every weighted figure).</param>
/// <param name="Chosen">Whether a placement from scratch would put a replica there.</param>
/// <param name="Current">Whether the model runs there now.</param>
public sealed record ExplainedCandidate(
    string NodeId,
    string SiteId,
    int Gpus,
    double CostUsdPerHour,
    double CostUsdPerMTok,
    double JoulesPerToken,
    double GramsCo2PerToken,
    double Objective,
    bool Chosen,
    bool Current);
