using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Heartbeats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The agent against an in-memory control plane that goes away and forgets: buffering, drops, re-registration.</summary>
public sealed class AgentResilienceTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fm-agent-resilience-").FullName;
    private readonly FakeControlPlane _controlPlane = new();
    private IHost? _agent;

    private AgentCounters Counters => _agent!.Services.GetRequiredService<AgentCounters>();

    private LatestHeartbeats Buffer => _agent!.Services.GetRequiredService<LatestHeartbeats>();

    public async Task InitializeAsync()
    {
        var builder = SiteAgentHost.CreateBuilder(
        [
            "--token", "unused", "--site", Path.Combine(AppContext.BaseDirectory, "sites", "eu-par-1.json"), "--data", _folder,
            "--simulate", "2", "--interval", "0.1",
            "--Logging:LogLevel:Default=Warning",
        ]);
        builder.Services.AddSingleton<IControlPlane>(_controlPlane);
        _agent = builder.Build();
        await _agent.StartAsync();
        await Eventually.HoldsAsync(() => Counters.HeartbeatsAccepted >= 4, TimeSpan.FromSeconds(10), "both nodes register and heartbeat");
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
            _agent.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task While_the_control_plane_is_away_each_node_keeps_only_its_newest_heartbeat_then_one_round_sends_them_and_every_node_registers_again()
    {
        _controlPlane.Reachable = false;
        await Eventually.HoldsAsync(() => Counters.HeartbeatsDropped >= 10, TimeSpan.FromSeconds(10), "newer samples supersede the unsent ones, and are counted");
        Assert.InRange(Buffer.Count, 0, 2); // one per node at most, less a batch being tried
        var before = _controlPlane.Batches.Count;

        _controlPlane.Reachable = true;
        await Eventually.HoldsAsync(() => _controlPlane.Registrations.Values.All(n => n >= 2), TimeSpan.FromSeconds(10), "every node is registered again after the outage");
        await Eventually.HoldsAsync(() => _controlPlane.Batches.Skip(before).SelectMany(b => b).Any(b => b.Epoch == 2), TimeSpan.FromSeconds(10), "heartbeats resume under the new epoch");

        var backlog = _controlPlane.Batches.Skip(before).SelectMany(b => b).TakeWhile(b => b.Epoch == 1).ToList();
        Assert.InRange(backlog.Count, 1, 6); // each node's newest, and what was sampled while it was being sent
        Assert.True(backlog.All(b => b.SampledAt > DateTimeOffset.UtcNow.AddSeconds(-10)), "only recent samples, never the outage's history");
        Assert.All(_controlPlane.Batches, batch => Assert.Equal(batch.Count, batch.Select(b => b.NodeId).Distinct().Count()));
        Assert.Equal(2, Counters.Reregistrations);
    }

    [Fact]
    public async Task A_node_the_control_plane_forgot_is_registered_again_from_its_heartbeat_refusal()
    {
        var nodeId = _controlPlane.Registrations.Keys.Order(StringComparer.Ordinal).First();

        _controlPlane.Forget(nodeId);

        await Eventually.HoldsAsync(() => _controlPlane.EpochOf(nodeId) > 0, TimeSpan.FromSeconds(10), "the forgotten node is registered again");
        await Eventually.HoldsAsync(() => _controlPlane.Batches.Last().Any(b => b.NodeId == nodeId && b.Epoch == _controlPlane.EpochOf(nodeId)), TimeSpan.FromSeconds(10), "and heartbeats under its new epoch");
        Assert.Equal(1, Counters.Reregistrations);
    }
}
