using System.Net;
using System.Net.Sockets;
using FactoryMesh.SiteAgent.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>An agent given several silos (<c>--server a,b</c>) whose first cannot be reached: it carries on through the next.</summary>
public sealed class ServerFailoverTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    [Fact]
    public async Task An_agent_whose_first_silo_is_down_registers_attests_and_heartbeats_through_the_next()
    {
        var down = $"http://127.0.0.1:{ClosedPort()}";
        using var agent = await fixture.StartSiteAsync("eu-sto-1", 3, "--server", $"{down},{fixture.Server.Address}");

        await Eventually.HoldsAsync(async () =>
        {
            var nodes = await fixture.NodesAsync("eu-sto-1");
            return nodes.Count == 3 && nodes.All(n => n.GetProperty("trust").GetProperty("state").GetString() == "Trusted");
        }, TimeSpan.FromSeconds(30), "every node registered and Trusted through the second silo");
        var counters = agent.Services.GetRequiredService<AgentCounters>();
        await Eventually.HoldsAsync(() => counters.HeartbeatsAccepted >= 6, TimeSpan.FromSeconds(15), "heartbeats accepted through the second silo");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
