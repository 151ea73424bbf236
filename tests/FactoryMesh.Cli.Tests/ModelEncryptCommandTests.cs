using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl model encrypt</c>: weights in, an FMA1 artifact out, under a data key only the server can unwrap.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class ModelEncryptCommandTests(FleetServerFixture fleet) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fmctl-encrypt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Encrypt_writes_an_artifact_beside_the_file_and_prints_the_plaintext_sha256_and_wrapped_key()
    {
        var tenantId = await TenantAsync();
        var (weights, plaintext) = await WeightsAsync(3 * 1024 * 1024);

        var result = (await fleet.RunAsync("model", "encrypt", weights, "--tenant", tenantId, "-o", "json")).AssertSucceeded();

        var printed = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plaintext)), printed.GetProperty("sha256").GetString());
        Assert.Equal(weights + ".fma", printed.GetProperty("output").GetString());
        Assert.Equal(plaintext.Length, printed.GetProperty("plaintextBytes").GetInt64());
        Assert.False(string.IsNullOrEmpty(printed.GetProperty("wrappedKey").GetString()));
        Assert.Equal(["sha256", "wrappedKey", "output", "plaintextBytes"], printed.EnumerateObject().Select(p => p.Name));
        var artifact = await File.ReadAllBytesAsync(weights + ".fma");
        Assert.Equal("FMA1"u8.ToArray(), artifact[..4]);
        Assert.True(artifact.Length > plaintext.Length);
        Assert.Empty(result.StandardError);
        Assert.Empty(Directory.GetFiles(_folder, "*.partial"));
    }

    [Fact]
    public async Task Encrypt_refuses_to_overwrite_an_existing_output_unless_forced()
    {
        var tenantId = await TenantAsync();
        var (weights, plaintext) = await WeightsAsync(4096);
        var output = Path.Combine(_folder, "custom.fma");
        await File.WriteAllTextAsync(output, "keep me");

        var refused = await fleet.RunAsync("model", "encrypt", weights, "--tenant", tenantId, "--out", output);
        var kept = await File.ReadAllTextAsync(output);
        var forced = (await fleet.RunAsync("model", "encrypt", weights, "--tenant", tenantId, "--out", output, "--force")).AssertSucceeded();

        Assert.Equal($"fmctl: {output} exists; pass --force to overwrite it, or --out another file", refused.AssertFailedWithOneLine(2));
        Assert.Equal("keep me", kept);
        var lines = forced.StandardOutput.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("sha256", StringComparison.Ordinal) && line.Contains(Convert.ToHexStringLower(SHA256.HashData(plaintext)), StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("output", StringComparison.Ordinal) && line.Contains(output, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("wrappedKey", StringComparison.Ordinal));
        Assert.Equal("FMA1"u8.ToArray(), (await File.ReadAllBytesAsync(output))[..4]);
    }

    [Fact]
    public async Task Encrypt_of_a_missing_file_is_a_usage_error_in_one_line()
    {
        var missing = Path.Combine(_folder, "no-such-weights.bin");

        var result = await fleet.RunAsync("model", "encrypt", missing, "--tenant", "acme");

        Assert.Equal($"fmctl: no such file: {missing}", result.AssertFailedWithOneLine(2));
        Assert.False(File.Exists(missing + ".fma"));
    }

    [Fact]
    public async Task Encrypt_for_an_unknown_tenant_is_refused_and_leaves_no_file()
    {
        var (weights, _) = await WeightsAsync(4096);
        var tenantId = FleetServerFixture.UniqueName("tenant");

        var result = await fleet.RunAsync("model", "encrypt", weights, "--tenant", tenantId);

        Assert.Equal($"fmctl: 404 Not found: Tenant '{tenantId}' does not exist.", result.AssertFailedWithOneLine(1));
        Assert.Equal([weights], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Encrypt_with_register_attaches_the_artifact_to_the_model_and_keeps_its_spec()
    {
        var tenantId = await TenantAsync();
        (await fleet.RunAsync("models", "put", tenantId, "llama", "--gpu-memory-gib", "40", "--tokens-per-second", "H100=2400", "--replicas", "3")).AssertSucceeded();
        var (weights, plaintext) = await WeightsAsync(70_000);

        var encrypted = (await fleet.RunAsync(
            "model", "encrypt", weights, "--tenant", tenantId, "--register", "llama", "--artifact-uri", "https://artifacts.example/llama.fma", "-o", "json")).AssertSucceeded();
        var model = JsonDocument.Parse((await fleet.RunAsync("models", "get", tenantId, "llama", "-o", "json")).AssertSucceeded().StandardOutput).RootElement;

        var printed = JsonDocument.Parse(encrypted.StandardOutput).RootElement;
        Assert.Equal($"{tenantId}/llama", printed.GetProperty("registered").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plaintext)), model.GetProperty("artifact").GetProperty("sha256").GetString());
        Assert.Equal(printed.GetProperty("wrappedKey").GetString(), model.GetProperty("artifact").GetProperty("wrappedKey").GetString());
        Assert.Equal("https://artifacts.example/llama.fma", model.GetProperty("artifact").GetProperty("uri").GetString());
        Assert.Equal(40, model.GetProperty("spec").GetProperty("gpuMemoryGiB").GetDouble());
        Assert.Equal(3, model.GetProperty("spec").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Encrypt_with_register_but_no_artifact_uri_is_a_usage_error()
    {
        var result = await fleet.RunAsync("model", "encrypt", "weights.bin", "--tenant", "acme", "--register", "llama");

        Assert.Equal(
            "fmctl: --register and --artifact-uri go together: the model's artifact record needs both. (see: fmctl model encrypt --help)",
            result.AssertFailedWithOneLine(2));
    }

    private async Task<string> TenantAsync()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        (await fleet.RunAsync("tenants", "put", tenantId)).AssertSucceeded();
        return tenantId;
    }

    private async Task<(string Path, byte[] Plaintext)> WeightsAsync(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var path = Path.Combine(_folder, $"weights-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, plaintext);
        return (path, plaintext);
    }
}
