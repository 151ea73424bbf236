using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Sites;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// The real machine as one node: its GPUs from nvidia-smi (model, count, memory, power limits), its TEE kind and
/// cost from configuration or the site file, its evidence from the configured attestation client.
/// </summary>
internal sealed class HardwareNodeDiscovery(
    SiteDescription site,
    NvidiaSmi nvidiaSmi,
    IOptions<HardwareOptions> options,
    CommandEvidenceSource evidence,
    IOptions<TeeKeyCommandOptions> teeKey,
    ILoggerFactory loggers) : INodeDiscovery
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ManagedNode>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var gpus = await nvidiaSmi.QueryAsync(cancellationToken).ConfigureAwait(false);
        if (gpus.Count == 0)
        {
            throw new InvalidOperationException("nvidia-smi reports no GPU on this machine; use --simulate N to run a simulated fleet.");
        }

        var model = GpuModelNames.FromMarketingName(gpus[0].Name);
        var mixed = gpus.Select(g => GpuModelNames.FromMarketingName(g.Name)).Distinct(StringComparer.Ordinal).ToList();
        if (mixed.Count > 1)
        {
            throw new InvalidOperationException($"This machine mixes GPU models ({string.Join(", ", mixed)}); a node has one model.");
        }

        var memoryGiB = Math.Round(gpus.Min(g => g.MemoryTotalMiB ?? 0) / 1024, 1);
        if (memoryGiB <= 0)
        {
            throw new InvalidOperationException("nvidia-smi does not report the GPUs' memory.");
        }

        var costPerGpuHour = settings.CostUsdPerGpuHour ?? site.ShareOf(model)?.CostUsdPerGpuHour
            ?? throw new InvalidOperationException($"No cost for {model}: list it in the site file's fleet or set {HardwareOptions.Section}:CostUsdPerGpuHour.");
        var power = gpus.Sum(g => g.PowerLimitWatts ?? 0) + settings.HostPowerWatts;
        var name = settings.NodeName ?? ResourceNames.FromHostName(Environment.MachineName);
        if (!ResourceNames.IsValid(name))
        {
            throw new InvalidOperationException($"{HardwareOptions.Section}:NodeName must be {ResourceNames.Rule}.");
        }

        var registration = new NodeRegistration(model, gpus.Count, memoryGiB, settings.TeeKind!, power > 0 ? power : 1, Math.Round(gpus.Count * costPerGpuHour, 2));
        var telemetry = new NvidiaSmiTelemetry(nvidiaSmi, settings.HostPowerWatts, loggers.CreateLogger<NvidiaSmiTelemetry>());
        var key = teeKey.Value.Command is null ? null : await CommandTeeKey.OpenAsync(teeKey.Value, $"{site.SiteId}/{name}", cancellationToken).ConfigureAwait(false);
        return [new ManagedNode(site.SiteId, name, registration, telemetry, evidence, key)];
    }
}
