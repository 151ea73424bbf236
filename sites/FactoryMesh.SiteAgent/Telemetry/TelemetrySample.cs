namespace FactoryMesh.SiteAgent.Telemetry;

/// <summary>What a node measures for one heartbeat.</summary>
/// <param name="GpuUtilization">Mean GPU utilization, 0 to 1.</param>
/// <param name="GpuMemoryUsedGiB">GPU memory in use over all GPUs, GiB.</param>
/// <param name="PowerWatts">Power drawn now by the whole node, watts.</param>
/// <param name="TokensPerSecond">Tokens generated per second on the node.</param>
internal sealed record TelemetrySample(double GpuUtilization, double GpuMemoryUsedGiB, double PowerWatts, double TokensPerSecond);
