namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>How the agent reads the real machine it runs on: section <c>FactoryMesh:Agent:Hardware</c>.</summary>
internal sealed class HardwareOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Agent:Hardware";

    /// <summary>The nvidia-smi executable. Default <c>nvidia-smi</c> from the PATH.</summary>
    public string NvidiaSmiPath { get; set; } = "nvidia-smi";

    /// <summary>The node's name within its site. Default: the host name, made a valid name.</summary>
    public string? NodeName { get; set; }

    /// <summary>The node's TEE kind (<c>TDX</c>, <c>SEV-SNP</c>, <c>CCA</c>). Required on real hardware: it cannot be guessed safely.</summary>
    public string? TeeKind { get; set; }

    /// <summary>What one GPU-hour costs here, USD; overrides the site file's figure for the GPU model.</summary>
    public double? CostUsdPerGpuHour { get; set; }

    /// <summary>Power of the host around the GPUs (CPUs, NICs, fans) at full load, watts; added to the GPUs' limits.</summary>
    public double HostPowerWatts { get; set; }
}
