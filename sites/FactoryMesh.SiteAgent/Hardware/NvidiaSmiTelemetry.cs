using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Telemetry;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// The real node's measurements from nvidia-smi: mean utilization, memory and power over its GPUs, plus the host's
/// configured share of power. Throughput is not something nvidia-smi knows, so it is reported as 0 until an inference
/// server reports it.
/// </summary>
internal sealed class NvidiaSmiTelemetry(NvidiaSmi nvidiaSmi, double hostPowerWatts, ILogger<NvidiaSmiTelemetry> logger) : INodeTelemetry
{
    /// <inheritdoc />
    public async Task<TelemetrySample?> SampleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<GpuReading> gpus;
        try
        {
            gpus = await nvidiaSmi.QueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or TimeoutException or IOException)
        {
            logger.TelemetryUnavailable(exception.Message);
            return null;
        }

        if (gpus.Count == 0)
        {
            return null;
        }

        var utilization = gpus.Average(g => g.UtilizationPercent ?? 0) / 100;
        var memory = gpus.Sum(g => g.MemoryUsedMiB ?? 0) / 1024;
        var power = gpus.Sum(g => g.PowerDrawWatts ?? 0) + hostPowerWatts;
        return new TelemetrySample(Math.Round(Math.Clamp(utilization, 0, 1), 4), Math.Round(memory, 1), Math.Round(power), 0);
    }
}
