namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>One node of a simulated fleet.</summary>
/// <param name="Name">Its name within the site (<c>node-007</c>).</param>
/// <param name="Model">Its GPU model.</param>
/// <param name="GpuCount">Its GPUs.</param>
/// <param name="CostUsdPerHour">What it costs per hour before energy.</param>
internal sealed record PlannedNode(string Name, GpuModelSpec Model, int GpuCount, double CostUsdPerHour);
