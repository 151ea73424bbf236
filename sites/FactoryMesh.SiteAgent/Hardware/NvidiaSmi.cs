using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>Asks nvidia-smi about the host's GPUs.</summary>
internal sealed class NvidiaSmi(IOptions<HardwareOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Every GPU of the host, now.</summary>
    public async Task<IReadOnlyList<GpuReading>> QueryAsync(CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(options.Value.NvidiaSmiPath, [NvidiaSmiCsvParser.QueryArgument, "--format=csv"], null, Timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"nvidia-smi exited with code {result.ExitCode}.");
        }

        return NvidiaSmiCsvParser.Parse(result.StandardOutput);
    }
}
