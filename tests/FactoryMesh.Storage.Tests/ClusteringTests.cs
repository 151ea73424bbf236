using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace FactoryMesh.Storage.Tests;

/// <summary>Orleans' ADO.NET clustering on the PostgreSQL schema.</summary>
[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class ClusteringTests(PostgreSqlCluster cluster)
{
    [Fact]
    public async Task Two_silos_form_one_cluster_through_the_membership_table()
    {
        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);

        var active = await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM ClusterMember WHERE DeploymentId = @DeploymentId AND Status = 3",
            ("DeploymentId", cluster.ClusterId));
        Assert.Equal(2, active);

        // Each join and each status change moved the version on.
        var version = await cluster.ScalarAsync(
            "SELECT Version FROM ClusterVersion WHERE DeploymentId = @DeploymentId", ("DeploymentId", cluster.ClusterId));
        Assert.True(version >= 4, $"Two silos joining (insert, then Joining -> Active) take at least 4 versions; found {version}.");
    }

    [Fact]
    public async Task The_membership_table_keeps_Orleans_contract()
    {
        var deployment = "contract-" + Guid.NewGuid().ToString("N")[..8];
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = deployment, ServiceId = cluster.ServiceId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = cluster.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);

        // The version row is created once; a second silo initializing finds it.
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var now = Truncated(DateTime.UtcNow);
        var first = Entry(11111, now, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next()));

        // The same silo again, a stale version, and a version etag that is not the table's all fail without effect.
        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        Assert.False(await table.InsertRowAsync(first, afterInsert.Version.Next()));
        // Started long ago (only an insert writes StartTime), so that it can later qualify for clean-up.
        var second = Entry(22222, now, SiloStatus.Joining);
        second.StartTime = now.AddHours(-3);
        Assert.False(await table.InsertRowAsync(second, empty.Version.Next()));
        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);

        Assert.True(await table.InsertRowAsync(second, afterInsert.Version.Next()));
        var both = await table.ReadAllAsync();
        Assert.Equal(2, both.Version.Version);
        Assert.Equal(2, both.Members.Count);
        Assert.All(both.Members, m => Assert.Equal(both.Version.VersionEtag, m.Item2));
        var stored = both.Members.Single(m => m.Item1.SiloAddress.Equals(first.SiloAddress)).Item1;
        Assert.Equal(first.SiloName, stored.SiloName);
        Assert.Equal(first.HostName, stored.HostName);
        Assert.Equal(first.ProxyPort, stored.ProxyPort);
        Assert.Equal(first.StartTime, stored.StartTime);
        Assert.Equal(first.IAmAliveTime, stored.IAmAliveTime);

        // Update: only with the current version; suspicions survive the round trip.
        first.Status = SiloStatus.Active;
        first.SuspectTimes = [Tuple.Create(second.SiloAddress, now.AddSeconds(-5))];
        Assert.False(await table.UpdateRowAsync(first, afterInsert.Version.VersionEtag, afterInsert.Version.Next()));
        Assert.True(await table.UpdateRowAsync(first, both.Version.VersionEtag, both.Version.Next()));
        var updated = await table.ReadRowAsync(first.SiloAddress);
        Assert.Equal(3, updated.Version.Version);
        var row = Assert.Single(updated.Members).Item1;
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(first.SuspectTimes, row.SuspectTimes);

        // A missing silo cannot be updated, and the failed attempt leaves the version alone.
        var stranger = Entry(33333, now, SiloStatus.Active);
        Assert.False(await table.UpdateRowAsync(stranger, updated.Version.VersionEtag, updated.Version.Next()));
        var unknown = await table.ReadRowAsync(stranger.SiloAddress);
        Assert.Empty(unknown.Members);
        Assert.Equal(3, unknown.Version.Version);

        // Heartbeats are not versioned.
        first.IAmAliveTime = now.AddSeconds(30);
        await table.UpdateIAmAliveAsync(first);
        var alive = await table.ReadRowAsync(first.SiloAddress);
        Assert.Equal(3, alive.Version.Version);
        Assert.Equal(first.IAmAliveTime, Assert.Single(alive.Members).Item1.IAmAliveTime);

        // Clients see active silos that have a gateway.
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = cluster.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = deployment, ServiceId = cluster.ServiceId }));
        await gateways.InitializeGatewayListProviderAsync();
        var gateway = Assert.Single(await gateways.GetGatewaysAsync());
        Assert.Equal(first.ProxyPort, gateway.Port);

        // Clean-up removes silos dead for long enough and nothing else. Orleans sends the dead silo back with
        // the values it read (times, suspicions) and the row goes only if they still match, so they must round-trip.
        var current = await table.ReadAllAsync();
        second.Status = SiloStatus.Dead;
        second.IAmAliveTime = now.AddHours(-2);
        second.SuspectTimes = [Tuple.Create(first.SiloAddress, now.AddHours(-2).AddSeconds(-1))];
        Assert.True(await table.UpdateRowAsync(second, current.Version.VersionEtag, current.Version.Next()));
        await table.CleanupDefunctSiloEntriesAsync(now.AddHours(-1));
        var cleaned = await table.ReadAllAsync();
        Assert.Equal(first.SiloAddress, Assert.Single(cleaned.Members).Item1.SiloAddress);

        // Deleting the deployment takes the version row and its members.
        await table.DeleteMembershipTableEntriesAsync(deployment);
        Assert.Equal(0, await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM ClusterMember WHERE DeploymentId = @DeploymentId", ("DeploymentId", deployment)));
        Assert.Equal(0, await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM ClusterVersion WHERE DeploymentId = @DeploymentId", ("DeploymentId", deployment)));
    }

    private static MembershipEntry Entry(int port, DateTime now, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 42),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = port + 1,
        StartTime = now.AddMinutes(-1),
        IAmAliveTime = now,
    };

    // PostgreSQL keeps microseconds and Orleans prints suspicion times in milliseconds: stay on whole milliseconds.
    private static DateTime Truncated(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
