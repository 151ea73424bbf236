using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// The money, energy and carbon of serving a model's tokens from one node. A replica takes whole GPUs,
/// <c>g = ceil(modelGpuMemoryGiB / gpuMemoryGiB)</c>, and so the fraction <c>g / gpuCount</c> of the node, whose
/// cost and power it bears in that proportion:
/// <list type="bullet">
/// <item>cost, USD/h = fraction × (node USD/h + node W / 1000 × PUE × electricity USD/kWh);</item>
/// <item>cost per million tokens, USD = cost USD/h / (tokens/s × 3600) × 10⁶;</item>
/// <item>energy per token, J = fraction × node W × PUE / tokens/s;</item>
/// <item>carbon per token, gCO2e = J per token / 3.6 × 10⁶ × site gCO2e/kWh.</item>
/// </list>
/// Tokens/s are per replica, as the model states them for the node's GPU model.
/// </summary>
public static class TokenEconomics
{
    /// <summary>Seconds in an hour.</summary>
    public const double SecondsPerHour = 3600;

    /// <summary>Joules in a kilowatt-hour.</summary>
    public const double JoulesPerKilowattHour = 3.6e6;

    /// <summary>Watts in a kilowatt.</summary>
    public const double WattsPerKilowatt = 1000;

    /// <summary>Tokens in the million that cost is quoted per.</summary>
    public const double TokensPerMillion = 1e6;

    // Memory sizes are decimal GiB figures, so a quotient that is an integer on paper can land a hair above it
    // (70.4 / 35.2); that rounding must not claim a whole extra GPU.
    private const double WholeGpuTolerance = 1e-9;

    /// <summary>Whole GPUs a replica needing <paramref name="modelGpuMemoryGiB"/> takes on GPUs of <paramref name="gpuMemoryGiB"/> each.</summary>
    public static int GpusPerReplica(double modelGpuMemoryGiB, double gpuMemoryGiB)
    {
        var gpus = Math.Ceiling(modelGpuMemoryGiB / gpuMemoryGiB - WholeGpuTolerance);
        return gpus <= 1 ? 1 : gpus >= int.MaxValue ? int.MaxValue : (int)gpus;
    }

    /// <summary>The share of a node of <paramref name="gpuCount"/> GPUs that a replica of <paramref name="gpusPerReplica"/> GPUs occupies.</summary>
    public static double NodeFraction(int gpusPerReplica, int gpuCount) => (double)gpusPerReplica / gpuCount;

    /// <summary>A replica's cost, USD per hour: its share of the node's own cost and of the facility energy the node draws.</summary>
    public static double ReplicaCostUsdPerHour(double nodeFraction, double nodeCostUsdPerHour, double powerWatts, double pue, double electricityUsdPerKwh) =>
        nodeFraction * (nodeCostUsdPerHour + powerWatts / WattsPerKilowatt * pue * electricityUsdPerKwh);

    /// <summary>Cost of a million tokens, USD, from a replica's hourly cost and its throughput.</summary>
    public static double CostUsdPerMillionTokens(double replicaCostUsdPerHour, double tokensPerSecond) =>
        replicaCostUsdPerHour / (tokensPerSecond * SecondsPerHour) * TokensPerMillion;

    /// <summary>Facility energy per token, joules: the replica's share of the node's power, scaled by PUE, over its throughput.</summary>
    public static double JoulesPerToken(double nodeFraction, double powerWatts, double pue, double tokensPerSecond) =>
        nodeFraction * powerWatts * pue / tokensPerSecond;

    /// <summary>Carbon per token, gCO2e, from energy per token and the site's carbon intensity.</summary>
    public static double GramsCo2PerToken(double joulesPerToken, double carbonGramsPerKwh) =>
        joulesPerToken / JoulesPerKilowattHour * carbonGramsPerKwh;

    /// <summary>
    /// The economics of one replica of <paramref name="model"/> on <paramref name="node"/> at <paramref name="site"/>; false when
    /// the model states no throughput for the node's GPU model or needs more GPUs than the node has. Free memory is not checked:
    /// that is a matter of the node's current load, not of its economics.
    /// </summary>
    public static bool TryEvaluate(ModelSpec model, NodeInventory node, SiteProfile site, out ReplicaEconomics economics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(site);
        economics = default;
        if (!model.TokensPerSecondByGpu.TryGetValue(node.GpuModel, out var tokensPerSecond) || !(tokensPerSecond > 0) || node.GpuCount < 1)
        {
            return false;
        }

        var gpus = GpusPerReplica(model.GpuMemoryGiB, node.GpuMemoryGiB);
        if (gpus > node.GpuCount)
        {
            return false;
        }

        economics = Evaluate(gpus, node.GpuCount, node.CostUsdPerHour, node.PowerWatts, site, tokensPerSecond);
        return true;
    }

    /// <summary>The economics of a replica of <paramref name="gpusPerReplica"/> GPUs on a node already known to fit it.</summary>
    internal static ReplicaEconomics Evaluate(int gpusPerReplica, int gpuCount, double nodeCostUsdPerHour, double powerWatts, SiteProfile site, double tokensPerSecond)
    {
        var fraction = NodeFraction(gpusPerReplica, gpuCount);
        var costPerHour = ReplicaCostUsdPerHour(fraction, nodeCostUsdPerHour, powerWatts, site.Pue, site.ElectricityUsdPerKwh);
        var joules = JoulesPerToken(fraction, powerWatts, site.Pue, tokensPerSecond);
        return new ReplicaEconomics(gpusPerReplica, fraction, tokensPerSecond, costPerHour,
            CostUsdPerMillionTokens(costPerHour, tokensPerSecond), joules, GramsCo2PerToken(joules, site.CarbonGramsPerKwh));
    }
}
