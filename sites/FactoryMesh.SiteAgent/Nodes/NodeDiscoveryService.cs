using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Nodes;

/// <summary>
/// Finds the nodes before anything else runs: hosted services start in order, so registration, heartbeats and
/// attestation find the fleet populated. A failure here (no nvidia-smi, a bad site file) stops the agent at once.
/// </summary>
internal sealed class NodeDiscoveryService(INodeDiscovery discovery, NodeFleet fleet, IOptions<AgentOptions> options, ILogger<NodeDiscoveryService> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var nodes = await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        fleet.Populate(nodes);
        var models = string.Join(", ", nodes.GroupBy(n => n.Registration.GpuModel, StringComparer.Ordinal).Select(g => $"{g.Count()} × {g.Key}"));
        logger.FleetDiscovered(nodes.Count, models, options.Value.IsSimulated ? "simulated" : "this machine", options.Value.ServerUrl);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
