using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl audit list | verify</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class AuditCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task List_filtered_by_node_shows_its_revocation_and_limit_caps_the_page()
    {
        var nodeId = (await fleet.CreateSiteWithNodesAsync(FleetServerFixture.UniqueName("site"), nodes: 1))[0];
        (await fleet.RunAsync("nodes", "revoke", nodeId, "--reason", "audit drill")).AssertSucceeded();

        var all = (await fleet.RunAsync("audit", "list", "--node", nodeId, "--since", "2020-01-01T00:00:00Z", "-o", "json")).AssertSucceeded();
        var one = (await fleet.RunAsync("audit", "list", "--node", nodeId, "--limit", "1", "-o", "json")).AssertSucceeded();
        var table = (await fleet.RunAsync("audit", "list", "--node", nodeId)).AssertSucceeded();

        var entries = JsonDocument.Parse(all.StandardOutput).RootElement.EnumerateArray().Select(r => r.GetProperty("entry")).ToList();
        Assert.All(entries, e => Assert.Equal(nodeId, e.GetProperty("nodeId").GetString()));
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "node-revocation" && e.GetProperty("reason").GetString() == "audit drill");
        Assert.Single(JsonDocument.Parse(one.StandardOutput).RootElement.EnumerateArray());
        Assert.Contains(table.StandardOutput.Split('\n'), line => line.Contains(nodeId, StringComparison.Ordinal) && line.Contains("Unknown -> Untrusted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_refuses_a_time_that_is_not_rfc_3339_and_a_limit_the_server_does_not_allow()
    {
        var since = await fleet.RunAsync("audit", "list", "--since", "yesterday");
        var limit = await fleet.RunAsync("audit", "list", "--limit", "0");

        Assert.Equal("fmctl: --since: 'yesterday' is not an RFC 3339 time, e.g. 2026-01-31T12:00:00Z. (see: fmctl audit list --help)", since.AssertFailedWithOneLine(2));
        Assert.Equal("fmctl: 400 The request is not valid: limit: Must be between 1 and 1000.", limit.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Verify_passes_on_an_intact_ledger_and_fails_in_one_line_on_an_edited_record()
    {
        var nodeId = (await fleet.CreateSiteWithNodesAsync(FleetServerFixture.UniqueName("site"), nodes: 1))[0];
        (await fleet.RunAsync("nodes", "revoke", nodeId, "--reason", "ledger drill")).AssertSucceeded();

        var intact = (await fleet.RunAsync("audit", "verify", "-o", "json")).AssertSucceeded();
        Assert.True(JsonDocument.Parse(intact.StandardOutput).RootElement.GetProperty("intact").GetBoolean());

        // Edit the first record behind the server's back, then put it back so the other tests see a whole ledger.
        await using var database = new SqliteConnection($"Data Source={fleet.DatabasePath}");
        await database.OpenAsync();
        var original = (string)(await Execute(database, "SELECT Body FROM AuditRecord WHERE Sequence = 1"))!;
        try
        {
            await Execute(database, "UPDATE AuditRecord SET Body = Body || ' ' WHERE Sequence = 1");

            var broken = await fleet.RunAsync("audit", "verify");

            Assert.Equal(
                "fmctl: the audit ledger is broken at record 1: its content does not match its hash: it was edited",
                broken.AssertFailedWithOneLine(4));
            Assert.Contains("intact", broken.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await Execute(database, "UPDATE AuditRecord SET Body = $body WHERE Sequence = 1", ("$body", original));
        }

        (await fleet.RunAsync("audit", "verify")).AssertSucceeded();
    }

    [Fact]
    public async Task Verify_with_the_public_key_checks_here_and_a_kept_checkpoint_catches_a_cut_tail()
    {
        var nodeId = (await fleet.CreateSiteWithNodesAsync(FleetServerFixture.UniqueName("site"), nodes: 1))[0];
        (await fleet.RunAsync("nodes", "revoke", nodeId, "--reason", "offline drill")).AssertSucceeded();
        var folder = Directory.CreateTempSubdirectory("fmctl-audit-").FullName;
        var keyFile = Path.Combine(folder, "audit.pem");
        var pem = JsonDocument.Parse((await fleet.RunAsync("audit", "public-key", "-o", "json")).AssertSucceeded().StandardOutput).RootElement.GetProperty("pem").GetString()!;
        await File.WriteAllTextAsync(keyFile, pem);
        var checkpointFile = Path.Combine(folder, "checkpoint.json");
        File.Copy(Path.Combine(fleet.DataDirectory, "audit-checkpoint.json"), checkpointFile);

        var intact = (await fleet.RunAsync("audit", "verify", "--public-key", keyFile, "--checkpoint", checkpointFile, "-o", "json")).AssertSucceeded();
        Assert.True(JsonDocument.Parse(intact.StandardOutput).RootElement.GetProperty("intact").GetBoolean());

        // A checkpoint further on than the ledger (as after a tail cut): same key, a head the ledger never reached.
        var kept = JsonDocument.Parse(await File.ReadAllTextAsync(checkpointFile)).RootElement;
        var ahead = Path.Combine(folder, "ahead.json");
        await File.WriteAllTextAsync(ahead, JsonSerializer.Serialize(new { sequence = kept.GetProperty("sequence").GetInt64() + 1_000_000, hash = kept.GetProperty("hash").GetString(), signature = kept.GetProperty("signature").GetString() }));
        var forged = await fleet.RunAsync("audit", "verify", "--public-key", keyFile, "--checkpoint", ahead);
        Assert.Contains("checkpoint's signature does not verify", forged.AssertFailedWithOneLine(4), StringComparison.Ordinal);

        var otherKey = Path.Combine(folder, "other.pem");
        using (var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(otherKey, stranger.ExportSubjectPublicKeyInfoPem());
        }

        var wrongKey = await fleet.RunAsync("audit", "verify", "--public-key", otherKey);
        Assert.Contains("head's signature does not verify", wrongKey.AssertFailedWithOneLine(4), StringComparison.Ordinal);
        var notAKey = await fleet.RunAsync("audit", "verify", "--public-key", checkpointFile);
        Assert.StartsWith("fmctl: --public-key:", notAKey.AssertFailedWithOneLine(2), StringComparison.Ordinal);
    }

    private static async Task<object?> Execute(SqliteConnection database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = database.CreateCommand();
#pragma warning disable CA2100 // the statements are the test's own constants
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }
}
