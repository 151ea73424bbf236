namespace FactoryMesh.SiteAgent.Sites;

/// <summary>One GPU model's part of a site's fleet.</summary>
/// <param name="GpuModel">The GPU model (<c>H100</c>, <c>H200</c>, <c>B200</c>).</param>
/// <param name="Share">Its relative weight: a simulated fleet of N nodes gives this model N × share / (sum of shares) of them.</param>
/// <param name="GpusPerNode">GPUs in one node of this model.</param>
/// <param name="CostUsdPerGpuHour">What one GPU-hour costs at this site before energy (amortised hardware, space, staff), USD.</param>
internal sealed record FleetShare(string GpuModel, double Share, int GpusPerNode, double CostUsdPerGpuHour);
