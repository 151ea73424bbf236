using System.Buffers.Text;
using System.Security.Cryptography;
using FactoryMesh.Core.Keys;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Core.Tests.Keys;

public sealed class FileKeyVaultTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"factorymesh-vault-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static readonly byte[] MasterKey = RandomNumberGenerator.GetBytes(32);

    private string VaultFile => Path.Combine(_directory, "key-vault.json");

    [Fact]
    public async Task A_data_key_round_trips_through_its_wrapped_form()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);

        using var generated = await vault.GenerateDataKeyAsync("acme");
        var unwrapped = await vault.UnwrapAsync("acme", generated.WrappedKey);

        Assert.Equal(ArtifactCipher.DataKeySize, generated.DataKey.Length);
        Assert.Equal(generated.DataKey.ToArray(), unwrapped);
        Assert.Equal(87, generated.WrappedKey.Length);
        Assert.True(Base64Url.IsValid(generated.WrappedKey));
    }

    [Fact]
    public async Task Every_data_key_is_fresh_under_the_same_tenant_key()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);

        using var first = await vault.GenerateDataKeyAsync("acme");
        using var second = await vault.GenerateDataKeyAsync("acme");

        Assert.NotEqual(first.DataKey.ToArray(), second.DataKey.ToArray());
        Assert.NotEqual(first.WrappedKey, second.WrappedKey);
        Assert.Equal(Base64Url.DecodeFromChars(first.WrappedKey)[..5], Base64Url.DecodeFromChars(second.WrappedKey)[..5]);
    }

    [Fact]
    public async Task A_key_wrapped_for_one_tenant_does_not_unwrap_for_another()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);
        using var forA = await vault.GenerateDataKeyAsync("tenant-a");
        using var forB = await vault.GenerateDataKeyAsync("tenant-b");

        var e = await Assert.ThrowsAsync<KeyUnwrapException>(() => vault.UnwrapAsync("tenant-b", forA.WrappedKey));
        Assert.Contains("wrapped for another tenant", e.Message, StringComparison.Ordinal);
        // A tenant the vault has never seen has no key to try at all.
        await Assert.ThrowsAsync<KeyUnwrapException>(() => vault.UnwrapAsync("tenant-c", forA.WrappedKey));
    }

    [Fact]
    public async Task A_wrapped_key_with_any_bit_flipped_is_refused()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);
        using var generated = await vault.GenerateDataKeyAsync("acme");
        var bytes = Base64Url.DecodeFromChars(generated.WrappedKey);

        for (var offset = 0; offset < bytes.Length; offset++)
        {
            var tampered = bytes.ToArray();
            tampered[offset] ^= (byte)(1 << (offset % 8));
            await Assert.ThrowsAsync<KeyUnwrapException>(() => vault.UnwrapAsync("acme", Base64Url.EncodeToString(tampered)));
        }
    }

    [Fact]
    public async Task Strings_that_are_not_wrapped_keys_are_refused()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);
        using var generated = await vault.GenerateDataKeyAsync("acme");
        var wrapped = generated.WrappedKey;
        // The last character carries two spare bits: setting one spells the same bytes another way, which is refused.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var respelled = wrapped[..^1] + Alphabet[Alphabet.IndexOf(wrapped[^1], StringComparison.Ordinal) + 1];

        foreach (var bad in new[] { "", "not a key", wrapped[..^1], wrapped + "A", wrapped[..^1] + "=", respelled })
        {
            await Assert.ThrowsAsync<KeyUnwrapException>(() => vault.UnwrapAsync("acme", bad));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("acme/other")]
    [InlineData("-acme")]
    public async Task Tenant_ids_that_are_not_resource_names_are_refused(string tenantId)
    {
        using var vault = new FileKeyVault(_directory, MasterKey);

        await Assert.ThrowsAsync<ArgumentException>(() => vault.GenerateDataKeyAsync(tenantId));
    }

    [Fact]
    public async Task The_vault_file_is_owner_only_and_a_new_instance_on_the_folder_unwraps_old_keys()
    {
        string wrapped;
        byte[] dataKey;
        using (var vault = new FileKeyVault(_directory, MasterKey))
        {
            using var generated = await vault.GenerateDataKeyAsync("acme");
            (wrapped, dataKey) = (generated.WrappedKey, generated.DataKey.ToArray());
            Assert.Equal(VaultFile, vault.FilePath);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(VaultFile));
        }

        using var reopened = new FileKeyVault(_directory, MasterKey);
        Assert.Equal(dataKey, await reopened.UnwrapAsync("acme", wrapped));
    }

    [Fact]
    public async Task The_vault_file_never_holds_a_data_key_in_clear()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);

        using var generated = await vault.GenerateDataKeyAsync("acme");
        var key = generated.DataKey.ToArray();
        var file = await File.ReadAllTextAsync(VaultFile);

        Assert.DoesNotContain(Convert.ToBase64String(key), file, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Url.EncodeToString(key), file, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), file, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(generated.WrappedKey, file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_vaults_on_one_folder_each_keep_the_other_tenants_keys()
    {
        using var first = new FileKeyVault(_directory, MasterKey);
        using var second = new FileKeyVault(_directory, MasterKey);
        using var a = await first.GenerateDataKeyAsync("tenant-a");
        using var b = await second.GenerateDataKeyAsync("tenant-b");
        using var c = await first.GenerateDataKeyAsync("tenant-c");

        // The first vault read the file before the second added tenant-b, and reads it again to find it.
        Assert.Equal(b.DataKey.ToArray(), await first.UnwrapAsync("tenant-b", b.WrappedKey));
        using var third = new FileKeyVault(_directory, MasterKey);
        Assert.Equal(a.DataKey.ToArray(), await third.UnwrapAsync("tenant-a", a.WrappedKey));
        Assert.Equal(b.DataKey.ToArray(), await third.UnwrapAsync("tenant-b", b.WrappedKey));
        Assert.Equal(c.DataKey.ToArray(), await third.UnwrapAsync("tenant-c", c.WrappedKey));
    }

    [Fact]
    public async Task Concurrent_callers_share_one_key_encryption_key_per_tenant()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);
        var tenants = new[] { "acme", "globex", "initech" };

        var generated = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            var tenant = tenants[i % tenants.Length];
            using var key = await vault.GenerateDataKeyAsync(tenant);
            return (Tenant: tenant, Key: key.DataKey.ToArray(), key.WrappedKey);
        })));

        using var reopened = new FileKeyVault(_directory, MasterKey);
        foreach (var (tenant, key, wrapped) in generated)
        {
            Assert.Equal(key, await reopened.UnwrapAsync(tenant, wrapped));
        }

        Assert.Single(generated.Select(g => Base64Url.DecodeFromChars(g.WrappedKey)[1..5]).Select(Convert.ToHexString).Distinct());
    }

    [Fact]
    public async Task A_vault_file_that_cannot_be_read_is_refused_and_left_as_it_was()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(VaultFile, "{ not json");
        using var vault = new FileKeyVault(_directory, MasterKey);

        await Assert.ThrowsAsync<InvalidDataException>(() => vault.GenerateDataKeyAsync("acme"));

        Assert.Equal("{ not json", await File.ReadAllTextAsync(VaultFile));
    }

    [Fact]
    public async Task A_disposed_data_key_is_zeroed_and_no_longer_readable()
    {
        using var vault = new FileKeyVault(_directory, MasterKey);
        var generated = await vault.GenerateDataKeyAsync("acme");
        var memory = generated.DataKey;

        generated.Dispose();

        Assert.All(memory.ToArray(), b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => generated.DataKey);
        Assert.False(string.IsNullOrEmpty(generated.WrappedKey));
    }

    [Fact]
    public async Task An_artifact_encrypted_under_a_generated_key_decrypts_under_the_unwrapped_key_in_a_later_vault()
    {
        var weights = RandomNumberGenerator.GetBytes(10_000);
        using var sealedStream = new MemoryStream();
        ArtifactEncryptionResult result;
        string wrapped;
        using (var vault = new FileKeyVault(_directory, MasterKey))
        {
            using var dataKey = await vault.GenerateDataKeyAsync("acme");
            result = await ArtifactCipher.EncryptAsync(new MemoryStream(weights), sealedStream, dataKey.DataKey, chunkSize: 4096);
            wrapped = dataKey.WrappedKey;
        }

        using var node = new FileKeyVault(_directory, MasterKey);
        var key = await node.UnwrapAsync("acme", wrapped);
        sealedStream.Position = 0;
        using var output = new MemoryStream();

        Assert.Equal(result.PlaintextSha256, await ArtifactCipher.DecryptAsync(sealedStream, output, key));
        Assert.Equal(weights, output.ToArray());
    }

    [Fact]
    public async Task The_vault_file_is_sealed_and_opens_only_with_its_master_key()
    {
        string wrapped;
        using (var vault = new FileKeyVault(_directory, MasterKey))
        {
            using var generated = await vault.GenerateDataKeyAsync("acme");
            wrapped = generated.WrappedKey;
        }

        var file = await File.ReadAllTextAsync(VaultFile);
        Assert.Contains("\"sealed\"", file, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", file, StringComparison.Ordinal); // not even which tenants there are

        using var stranger = new FileKeyVault(_directory, RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => stranger.UnwrapAsync("acme", wrapped));
        Assert.Contains("master key", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => stranger.GenerateDataKeyAsync("globex"));
        Assert.Equal(file, await File.ReadAllTextAsync(VaultFile)); // refused, never replaced
    }

    [Fact]
    public async Task A_vault_an_earlier_version_wrote_in_clear_is_sealed_on_first_use_and_keeps_its_keys()
    {
        Directory.CreateDirectory(_directory);
        var kek = RandomNumberGenerator.GetBytes(32);
        var dataKey = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        var wrapped = DataKeyWrap.Wrap(kek, 1, "acme", dataKey);
        var clearKek = $$$"""{"version": 1, "key": "{{{Convert.ToBase64String(kek)}}}", "created": "2026-01-01T00:00:00Z"}""";
        File.WriteAllText(VaultFile, """{"format": 1, "tenants": {"acme": [""" + clearKek + "]}}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(VaultFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var vault = new FileKeyVault(_directory, MasterKey);

        Assert.Equal(dataKey, await vault.UnwrapAsync("acme", wrapped));
        var file = await File.ReadAllTextAsync(VaultFile);
        Assert.Contains("\"sealed\"", file, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(kek), file, StringComparison.Ordinal);
        using var reopened = new FileKeyVault(_directory, MasterKey);
        Assert.Equal(dataKey, await reopened.UnwrapAsync("acme", wrapped));
    }
}
