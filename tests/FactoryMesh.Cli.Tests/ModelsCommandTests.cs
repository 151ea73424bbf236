using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl models put | get | place</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class ModelsCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Put_defines_a_model_with_throughput_per_gpu_and_get_shows_it()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        (await fleet.RunAsync("tenants", "put", tenantId)).AssertSucceeded();

        var put = (await fleet.RunAsync(
            "models", "put", tenantId, "llama", "--gpu-memory-gib", "80", "--tokens-per-second", "H100=2400", "--tokens-per-second", "H200=3100",
            "--replicas", "2", "--min-sites", "2", "--artifact-uri", "https://artifacts.example/llama.fma", "--artifact-sha256", new string('a', 64),
            "--artifact-wrapped-key", "wrapped-key-1", "-o", "json")).AssertSucceeded();
        var get = (await fleet.RunAsync("models", "get", tenantId, "llama")).AssertSucceeded();

        var spec = JsonDocument.Parse(put.StandardOutput).RootElement.GetProperty("spec");
        Assert.Equal(80, spec.GetProperty("gpuMemoryGiB").GetDouble());
        Assert.Equal(2400, spec.GetProperty("tokensPerSecondByGpu").GetProperty("H100").GetDouble());
        Assert.Equal(3100, spec.GetProperty("tokensPerSecondByGpu").GetProperty("H200").GetDouble());
        Assert.Equal(2, spec.GetProperty("replicas").GetInt32());
        Assert.Equal(2, spec.GetProperty("minSites").GetInt32());
        var lines = get.StandardOutput.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("spec.gpuMemoryGiB", StringComparison.Ordinal) && line.TrimEnd().EndsWith("80", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("artifact.wrappedKey", StringComparison.Ordinal) && line.Contains("wrapped-key-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_with_negative_memory_is_refused_by_the_server_in_one_line()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        (await fleet.RunAsync("tenants", "put", tenantId)).AssertSucceeded();

        var result = await fleet.RunAsync("models", "put", tenantId, "llama", "--gpu-memory-gib=-80", "--tokens-per-second", "H100=2400", "--replicas", "1");

        Assert.StartsWith("fmctl: 400 The request is not valid: gpuMemoryGiB: ", result.AssertFailedWithOneLine(1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tokens-per-second", "H100", "fmctl: --tokens-per-second: 'H100' is not GPU=tokens, e.g. H100=2400.")]
    [InlineData("--artifact-uri", "https://artifacts.example/llama.fma", "fmctl: --artifact-uri, --artifact-sha256 and --artifact-wrapped-key go together: give all three or none.")]
    public async Task Put_with_a_malformed_option_is_a_usage_error(string option, string value, string expected)
    {
        var result = await fleet.RunAsync("models", "put", "acme", "llama", "--gpu-memory-gib", "80", "--tokens-per-second", "H200=3100", "--replicas", "1", option, value);

        Assert.Equal($"{expected} (see: fmctl models put --help)", result.AssertFailedWithOneLine(2));
    }

    [Fact]
    public async Task Get_of_an_unknown_model_says_404_in_one_line()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");

        var result = await fleet.RunAsync("models", "get", tenantId, "nope");

        Assert.Equal($"fmctl: 404 Not found: Model '{tenantId}/nope' does not exist.", result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Place_with_no_trusted_node_says_409_with_the_binding_constraints_in_one_line()
    {
        var (tenantId, _) = await TenantInOwnZoneAsync();
        (await fleet.RunAsync("models", "put", tenantId, "llama", "--gpu-memory-gib", "80", "--tokens-per-second", "H100=2400", "--replicas", "1")).AssertSucceeded();

        var result = await fleet.RunAsync("models", "place", tenantId, "llama");

        var line = result.AssertFailedWithOneLine(1);
        Assert.StartsWith("fmctl: 409 No feasible placement exists: ", line, StringComparison.Ordinal);
        Assert.True(line.Length > "fmctl: 409 No feasible placement exists: ".Length, line);
    }

    [Fact]
    public async Task Place_puts_replicas_on_trusted_nodes_and_shows_them_with_the_exclusions()
    {
        var (tenantId, siteId) = await TenantInOwnZoneAsync();
        var trusted = await fleet.AddTrustedNodeAsync(siteId, "node-001");
        await fleet.AddTrustedNodeAsync(siteId, "node-002");
        (await fleet.RunAsync("models", "put", tenantId, "llama", "--gpu-memory-gib", "80", "--tokens-per-second", "H100=2400", "--replicas", "1")).AssertSucceeded();
        var node = JsonDocument.Parse((await fleet.RunAsync("nodes", "get", trusted, "-o", "json")).AssertSucceeded().StandardOutput).RootElement;
        Assert.Equal("Trusted", node.GetProperty("trust").GetProperty("state").GetString());

        var json = (await fleet.RunAsync("models", "place", tenantId, "llama", "-o", "json")).AssertSucceeded();
        var table = (await fleet.RunAsync("models", "place", tenantId, "llama")).AssertSucceeded();

        var placement = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal("Placed", placement.GetProperty("status").GetString());
        var replica = Assert.Single(placement.GetProperty("replicas").EnumerateArray());
        var placedOn = replica.GetProperty("nodeId").GetString()!;
        Assert.StartsWith($"{siteId}/", placedOn, StringComparison.Ordinal);
        Assert.Equal(siteId, replica.GetProperty("siteId").GetString());
        Assert.True(replica.GetProperty("costUsdPerMTok").GetDouble() > 0);
        Assert.True(placement.GetProperty("excluded").GetArrayLength() >= 1);
        var lines = table.StandardOutput.Split('\n');
        Assert.StartsWith("Placed: 1 replica(s), ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith(placedOn, StringComparison.Ordinal) && line.Contains(siteId, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Excluded ", StringComparison.Ordinal) && line.EndsWith("(details: --output json)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Explain_lists_the_candidates_with_their_figures_and_the_nodes_left_out_by_reason()
    {
        var (tenantId, siteId) = await TenantInOwnZoneAsync();
        var trusted = await fleet.AddTrustedNodeAsync(siteId, "node-001");
        (await fleet.RunAsync("models", "put", tenantId, "llama", "--gpu-memory-gib", "80", "--tokens-per-second", "H100=2400", "--replicas", "1")).AssertSucceeded();
        (await fleet.RunAsync("models", "place", tenantId, "llama")).AssertSucceeded();

        var table = (await fleet.RunAsync("models", "explain", tenantId, "llama")).AssertSucceeded();
        var usage = await fleet.RunAsync("models", "explain", tenantId, "llama", "--limit", "0");

        var lines = table.StandardOutput.Split('\n');
        Assert.StartsWith($"{tenantId}/llama: 1 eligible candidate(s), ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"runs now on {trusted}", lines[0].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith(trusted, StringComparison.Ordinal) && line.Contains("chosen now", StringComparison.Ordinal));
        Assert.Equal("fmctl: --limit must be between 1 and 1000. (see: fmctl models explain --help)", usage.AssertFailedWithOneLine(2));
    }

    // A tenant that may only use a zone of its own, and the one site in it (no nodes yet): other tests' nodes never count.
    private async Task<(string TenantId, string SiteId)> TenantInOwnZoneAsync()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        var siteId = FleetServerFixture.UniqueName("site");
        var zone = FleetServerFixture.UniqueName("Z").ToUpperInvariant();
        (await fleet.RunAsync("sites", "put", siteId, "--jurisdiction", "DE", "--zone", zone, "--electricity-usd-per-kwh", "0.21", "--pue", "1.2", "--carbon-grams-per-kwh", "380")).AssertSucceeded();
        (await fleet.RunAsync("tenants", "put", tenantId, "--allow-zone", zone)).AssertSucceeded();
        return (tenantId, siteId);
    }
}
