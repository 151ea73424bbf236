using System.Net.Http.Json;
using FactoryMesh.SimulatedTee;
using FactoryMesh.Testing;
using FactoryMesh.ServerHost;
using FactoryMesh.Server.Tests.Cluster;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// Two server processes forming a cluster of their own, in a database of their own on the cluster tests' PostgreSQL,
/// a dashboard on one of them: the file-secrets way to run a cluster (each silo given the same signing.key), with
/// every ASP.NET Core log line on, which the three-silo drills cannot afford.
/// </summary>
[Collection(SiloClusterCollection.Name)]
public sealed class ClusterLiveTests(SiloCluster shared)
{
    [Fact]
    public async Task Events_from_grains_on_either_silo_reach_a_dashboard_on_the_other_in_order_per_node()
    {
        var connectionString = await shared.Database.CreateDatabaseAsync("cluster_live");
        var root = Path.Combine(Path.GetTempPath(), $"factorymesh-cluster-{Guid.NewGuid():N}");
        using var vendor = SimulatedVendorCa.Create("Cluster Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Directory.CreateDirectory(root);
        var rootPem = Path.Combine(root, "vendor-root.pem");
        var referenceValues = Path.Combine(root, "reference-values.json");
        await File.WriteAllTextAsync(rootPem, vendor.RootCertificatePem);
        await File.WriteAllTextAsync(referenceValues, SimulatedFleet.ReferenceValuesJson);
        // Silo-to-silo mutual TLS as an operator sets it up: a private CA, one certificate per silo.
        using var clusterCa = ClusterCertificate.CreateAuthority("cluster-live-ca");
        var caPath = Path.Combine(root, "cluster-ca.pem");
        await File.WriteAllTextAsync(caPath, clusterCa.ExportCertificatePem());
        string[] ClusterArguments(string dataDirectory)
        {
            using var siloCertificate = ClusterCertificate.CreateSilo($"silo-{Path.GetFileName(dataDirectory)}", clusterCa);
            var certificatePath = ClusterCertificate.WritePfx(siloCertificate, Path.Combine(root, $"{Path.GetFileName(dataDirectory)}.pfx"));
            return
        [
            $"--FactoryMesh:Silo:Tls:CertificatePath={certificatePath}",
            $"--FactoryMesh:Silo:Tls:CaPath={caPath}",
            "--FactoryMesh:Storage=PostgreSql",
            $"--ConnectionStrings:FactoryMesh={connectionString}",
            "--FactoryMesh:ClusterId=live-cluster",
            "--FactoryMesh:Silo:AdvertisedAddress=127.0.0.1",
            $"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={rootPem}",
            $"--FactoryMesh:Attestation:ReferenceValuesPath={referenceValues}",
            // Everything ASP.NET Core logs, to show that the hub's access_token still never reaches a log line.
            "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
        ];
        }

        try
        {
            var dataA = Path.Combine(root, "a");
            var dataB = Path.Combine(root, "b");
            await using var siloA = await ServerProcess.StartAsync(dataA, ClusterArguments(dataA));
            Directory.CreateDirectory(dataB);
            File.Copy(Path.Combine(dataA, "signing.key"), Path.Combine(dataB, "signing.key")); // one key for the cluster
            await using var siloB = await ServerProcess.StartAsync(dataB, ClusterArguments(dataB));

            // Both silos joined (over mutual TLS, or the second would never see the first), and neither opened a gateway.
            await using (var membership = new Npgsql.NpgsqlConnection(connectionString))
            {
                await membership.OpenAsync();
                await using var query = new Npgsql.NpgsqlCommand("SELECT count(*), max(ProxyPort) FROM ClusterMember WHERE Status = 3", membership);
                await using var row = await query.ExecuteReaderAsync();
                Assert.True(await row.ReadAsync());
                Assert.Equal(2L, row.GetInt64(0));
                Assert.Equal(0, row.GetInt32(1));
            }

            var token = siloA.OperatorToken;
            using var api = siloA.Client(token);
            (await api.PutAsJsonAsync("/api/v1/sites/eu-fra-1", Fleet.Frankfurt)).EnsureSuccessStatusCode();
            await using var dashboard = await HubClient.ConnectAsync(new Uri(siloB.Address, "/hubs/fleet"), token);
            await dashboard.InvokeAsync("SubscribeSite", "eu-fra-1");

            var nodes = Enumerable.Range(1, 8).Select(i => $"eu-fra-1/node-{i}").ToList();
            foreach (var nodeId in nodes)
            {
                using var device = vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
                await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/eu-fra-1/nodes/{nodeId.Split('/')[1]}", SimulatedFleet.SimNode));
                await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));
                await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/revoke", new { reason = "drill" }));
                await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));
            }

            var seen = nodes.ToDictionary(n => n, _ => new List<string>());
            while (seen.Values.Any(states => states.Count < 3))
            {
                var trust = await dashboard.NextAsync("trustChanged", waitingFor: "for every node's three transitions on the other silo");
                seen[trust.GetProperty("nodeId").GetString()!].Add(trust.GetProperty("state").GetString()!);
            }

            Assert.All(seen.Values, states => Assert.Equal(["Trusted", "Untrusted", "Trusted"], states));
            await siloA.StopAsync();
            await siloB.StopAsync();
            Assert.DoesNotContain(token, siloA.Output + siloB.Output, StringComparison.Ordinal);
            Assert.Contains("dbug: Microsoft.AspNetCore", siloB.Output, StringComparison.Ordinal); // ASP.NET Core logged verbosely
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
