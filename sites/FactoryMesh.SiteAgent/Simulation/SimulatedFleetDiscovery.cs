using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Faults;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Sites;
using FactoryMesh.SimulatedTee;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// A simulated fleet of N nodes in the site's GPU mix, each with its own simulated TEE device issued by the vendor
/// CA, its own TEE key and its own load.
/// </summary>
internal sealed class SimulatedFleetDiscovery(SiteDescription site, IOptions<AgentOptions> options, FaultState faults, TimeProvider time) : INodeDiscovery, IDisposable
{
    // The devices' chains reference the CA's certificate, so it lives as long as they do.
    private SimulatedVendorCa? _authority;
    private SimulatedVerifierStore? _verifiers;

    /// <inheritdoc />
    public Task<IReadOnlyList<ManagedNode>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var authority = _authority ??= VendorAuthorityStore.OpenOrCreate(settings.VendorDirectoryFullPath, time);
        var devices = new DeviceStore(settings.DataDirectoryFullPath, authority, time);
        var verifiers = settings.SimulateFormat == SimulatedResultFormat.SimulatedTee ? null : _verifiers ??= SimulatedVerifierStore.OpenOrCreate(settings.VendorDirectoryFullPath);
        var nodes = new List<ManagedNode>();
        foreach (var planned in SimulatedFleetPlan.For(site, settings.Simulate))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nodeId = $"{site.SiteId}/{planned.Name}";
            var device = devices.OpenOrIssue(planned.Name, nodeId);
            var registration = new NodeRegistration(
                planned.Model.Name,
                planned.GpuCount,
                planned.Model.MemoryGiB,
                SimulatedResultFormat.TeeKindOf(settings.SimulateFormat),
                planned.Model.NodePeakWatts(planned.GpuCount),
                planned.CostUsdPerHour);
            var source = new SimulatedEvidenceSource(device, planned.Name, planned.Model, planned.GpuCount, faults, settings.SimulateFormat, verifiers, time);
            nodes.Add(new ManagedNode(site.SiteId, planned.Name, registration, new SimulatedLoad(planned.Model, planned.GpuCount, nodeId), source, source, device));
        }

        return Task.FromResult<IReadOnlyList<ManagedNode>>(nodes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _authority?.Dispose();
        _verifiers?.Dispose();
    }
}
