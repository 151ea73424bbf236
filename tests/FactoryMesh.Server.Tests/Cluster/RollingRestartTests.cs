using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace FactoryMesh.Server.Tests.Cluster;

/// <summary>All three silos restarted one at a time (SIGTERM, start again) under heartbeats and a live dashboard.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class RollingRestartTests(SiloCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task The_api_answers_throughout_and_a_dashboard_whose_silo_leaves_reconnects_to_another_and_keeps_receiving()
    {
        await cluster.EnsureAllRunningAsync();
        using var fleet = new ClusterFleet(cluster, $"roll-{Guid.NewGuid():N}"[..13], SiloCluster.Size, SiloCluster.DrillNodes / SiloCluster.Size);
        await fleet.RegisterAsync();
        var failedBefore = fleet.FailedCalls;
        var calls = 0L;
        using var stop = new CancellationTokenSource();
        var heartbeats = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Add(ref calls, await fleet.HeartbeatRoundAsync());
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        });

        // The dashboard follows the first site through silo 0, the first to be restarted; it moves to the next silo each
        // time its own leaves, so it meets every restart.
        var dashboardSilo = 0;
        var dashboard = await ConnectAsync(dashboardSilo, fleet.Sites[0]);
        await dashboard.NextAsync("utilization", waitingFor: "a first utilization update through silo 0");
        var gaps = new List<TimeSpan>();
        try
        {
            for (var silo = 0; silo < SiloCluster.Size; silo++)
            {
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                dashboard.Connection.Closed += _ =>
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                };
                await cluster.StopAsync(silo);
                if (silo == dashboardSilo)
                {
                    // Its silo went away: the connection closes, and the dashboard connects to another silo and resubscribes.
                    await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    var gap = Stopwatch.StartNew();
                    await dashboard.DisposeAsync();
                    dashboardSilo = (silo + 1) % SiloCluster.Size;
                    dashboard = await ConnectAsync(dashboardSilo, fleet.Sites[0]);
                    await dashboard.NextAsync("utilization", TimeSpan.FromSeconds(30), waitingFor: $"utilization through silo {dashboardSilo} after silo {silo} left");
                    gaps.Add(gap.Elapsed);
                }

                await cluster.StartAsync(silo);
            }

            // Still following after every silo was replaced.
            dashboard.Drain("utilization");
            await dashboard.NextAsync("utilization", waitingFor: "utilization after the rolling restart");
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats;
            await dashboard.DisposeAsync();
        }

        var failed = fleet.FailedCalls - failedBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rolling restart of {SiloCluster.Size} silos: {Interlocked.Read(ref calls)} heartbeat calls for {fleet.Nodes.Count} nodes, {failed} failed after retry ({fleet.FailureSummary}), " +
            $"{fleet.RetriedCalls} answered by another silo; dashboard reconnect gap {string.Join(", ", gaps.Select(g => $"{g.TotalSeconds:0.00} s"))}"));
        Assert.Equal(0, failed);
        Assert.Equal(SiloCluster.Size, gaps.Count); // the dashboard sat on each silo in turn as it was restarted
    }

    private async Task<HubClient> ConnectAsync(int silo, string siteId)
    {
        var client = await HubClient.ConnectAsync(new Uri(cluster.Address(silo), "/hubs/fleet"), cluster.OperatorToken);
        await client.Connection.InvokeAsync("SubscribeSite", siteId);
        return client;
    }
}
