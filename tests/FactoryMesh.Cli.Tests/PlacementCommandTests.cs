using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl placement plan</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class PlacementCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Plan_shows_every_model_of_the_tenant_with_its_replicas_and_the_proven_gap_and_a_dry_run_changes_nothing()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        var siteId = FleetServerFixture.UniqueName("site");
        var zone = FleetServerFixture.UniqueName("Z").ToUpperInvariant();
        (await fleet.RunAsync("sites", "put", siteId, "--jurisdiction", "DE", "--zone", zone, "--electricity-usd-per-kwh", "0.21", "--pue", "1.2", "--carbon-grams-per-kwh", "380")).AssertSucceeded();
        (await fleet.RunAsync("tenants", "put", tenantId, "--allow-zone", zone)).AssertSucceeded();
        await fleet.AddTrustedNodeAsync(siteId, "node-001");
        await fleet.AddTrustedNodeAsync(siteId, "node-002");
        foreach (var model in new[] { "big-a", "big-b" })
        {
            (await fleet.RunAsync("models", "put", tenantId, model, "--gpu-memory-gib", "600", "--tokens-per-second", "H100=2400", "--replicas", "1")).AssertSucceeded();
        }

        (await fleet.RunAsync("models", "place", tenantId, "big-a")).AssertSucceeded();

        var json = (await fleet.RunAsync("placement", "plan", "--tenant", tenantId, "--dry-run", "-o", "json")).AssertSucceeded();
        var table = (await fleet.RunAsync("placement", "plan", "--tenant", tenantId, "--dry-run")).AssertSucceeded();

        var outcome = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.False(outcome.GetProperty("applied").GetBoolean());
        var models = outcome.GetProperty("plan").GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("key").GetString()!);
        Assert.Equal([$"{tenantId}/big-a", $"{tenantId}/big-b"], models.Keys.Order());
        Assert.Empty(models[$"{tenantId}/big-a"].GetProperty("added").EnumerateArray());
        Assert.Single(models[$"{tenantId}/big-b"].GetProperty("added").EnumerateArray());
        var lines = table.StandardOutput.Split('\n');
        Assert.StartsWith("Dry run: optimal plan, proven gap 0.00%", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith($"{tenantId}/big-b", StringComparison.Ordinal) && line.Contains(siteId, StringComparison.Ordinal));
        var unplaced = JsonDocument.Parse((await fleet.RunAsync("models", "get", tenantId, "big-b", "-o", "json")).AssertSucceeded().StandardOutput).RootElement;
        Assert.Equal("Unplaced", unplaced.GetProperty("status").GetString());

        var applied = (await fleet.RunAsync("placement", "plan", "--tenant", tenantId)).AssertSucceeded();

        Assert.Contains("1 replica(s) added, 0 removed, 0 refused", applied.StandardOutput, StringComparison.Ordinal);
        var placed = JsonDocument.Parse((await fleet.RunAsync("models", "get", tenantId, "big-b", "-o", "json")).AssertSucceeded().StandardOutput).RootElement;
        Assert.Equal("Placed", placed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_negative_move_budget_is_a_usage_error_and_an_unknown_tenant_is_404_in_one_line()
    {
        var usage = await fleet.RunAsync("placement", "plan", "--max-moves", "-1");
        Assert.Equal("fmctl: --max-moves must not be negative. (see: fmctl placement plan --help)", usage.AssertFailedWithOneLine(2));

        var tenantId = FleetServerFixture.UniqueName("tenant");
        var missing = await fleet.RunAsync("placement", "plan", "--tenant", tenantId, "--dry-run");
        Assert.Equal($"fmctl: 404 Not found: Tenant '{tenantId}' does not exist.", missing.AssertFailedWithOneLine(1));
    }
}
