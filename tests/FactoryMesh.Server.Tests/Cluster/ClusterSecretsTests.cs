using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace FactoryMesh.Server.Tests.Cluster;

/// <summary>Silos that share their secrets through the cluster's database: no file copied, one token and key space.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class ClusterSecretsTests(SiloCluster cluster)
{
    [Fact]
    public async Task No_silo_keeps_a_secret_file_and_a_token_issued_by_one_is_honoured_by_all_even_after_a_key_rotation()
    {
        for (var i = 0; i < SiloCluster.Size; i++)
        {
            var files = Directory.GetFiles(cluster.Silo(i).DataDirectory).Select(Path.GetFileName).ToList();
            Assert.DoesNotContain("signing.key", files);
            Assert.DoesNotContain("audit-signing.pem", files);
            Assert.DoesNotContain("key-vault.json", files);
            Assert.DoesNotContain("vault-master.key", files);
        }

        using var first = cluster.Client(1);
        var token = await IssueSchedulerTokenAsync(first);
        for (var i = 0; i < SiloCluster.Size; i++)
        {
            using var scheduler = cluster.Silo(i).Client(token);
            Assert.Equal(HttpStatusCode.OK, (await scheduler.GetAsync("/api/v1/tenants")).StatusCode);
        }

        // A rotation through silo 0 reaches the others within their refresh; a token signed by the new key works anywhere.
        using var zero = cluster.Client(0);
        var rotated = await ApiAssert.OkJsonAsync(await zero.PostAsJsonAsync("/api/v1/tokens/keys/rotate", new { }));
        var afterRotation = await IssueSchedulerTokenAsync(zero);
        await Eventually.HoldsAsync(async () =>
        {
            using var scheduler = cluster.Silo(2).Client(afterRotation);
            return (await scheduler.GetAsync("/api/v1/tenants")).StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10), $"a token signed by the rotated key {rotated} to be honoured by silo 2");
        using (var old = cluster.Silo(2).Client(token))
        {
            Assert.Equal(HttpStatusCode.OK, (await old.GetAsync("/api/v1/tenants")).StatusCode); // the retired key still verifies
        }

        // Data keys for one tenant through two silos: one KEK in the database, sealed.
        (await zero.PutAsJsonAsync("/api/v1/tenants/cluster-tenant", new { allowedZones = new[] { "EU" } })).EnsureSuccessStatusCode();
        using var two = cluster.Client(2);
        await ApiAssert.OkJsonAsync(await zero.PostAsync("/api/v1/tenants/cluster-tenant/datakeys", null));
        await ApiAssert.OkJsonAsync(await two.PostAsync("/api/v1/tenants/cluster-tenant/datakeys", null));
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM ClusterSecret WHERE Name LIKE 'tenant-kek/cluster-tenant/%'", connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static async Task<string> IssueSchedulerTokenAsync(HttpClient client)
    {
        var issued = await ApiAssert.OkJsonAsync(await client.PostAsJsonAsync("/api/v1/tokens", new { role = "scheduler", subject = "cluster-test", lifetimeHours = 1 }));
        return issued.GetProperty("token").GetString()!;
    }
}
