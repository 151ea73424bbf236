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

    private HeartbeatBuffer Buffer => _agent!.Services.GetRequiredService<HeartbeatBuffer>();

    public async Task InitializeAsync()
    {
        var builder = SiteAgentHost.CreateBuilder(
        [
            "--token", "unused", "--site", Path.Combine(AppContext.BaseDirectory, "sites", "eu-par-1.json"), "--data", _folder,
            "--simulate", "2", "--interval", "0.1", "--FactoryMesh:Heartbeat:BufferCapacity=6",
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
    public async Task While_the_control_plane_is_away_heartbeats_are_buffered_up_to_the_bound_then_sent_and_every_node_registered_again()
    {
        _controlPlane.Reachable = false;
        await Eventually.HoldsAsync(() => Counters.HeartbeatsDropped >= 10, TimeSpan.FromSeconds(10), "the bounded buffer overflows and counts its drops");
        Assert.InRange(Buffer.Count, 4, 6); // full, less a batch being tried
        var before = _controlPlane.Batches.Count;

        _controlPlane.Reachable = true;
        await Eventually.HoldsAsync(() => _controlPlane.Registrations.Values.All(n => n >= 2), TimeSpan.FromSeconds(10), "every node is registered again after the outage");
        await Eventually.HoldsAsync(() => _controlPlane.Batches.Skip(before).SelectMany(b => b).Any(b => b.Epoch == 2), TimeSpan.FromSeconds(10), "heartbeats resume under the new epoch");

        var backlog = _controlPlane.Batches.Skip(before).SelectMany(b => b).TakeWhile(b => b.Epoch == 1).ToList();
        Assert.InRange(backlog.Count, 5, 12); // the buffer's six, and what was sampled while it was being sent
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
