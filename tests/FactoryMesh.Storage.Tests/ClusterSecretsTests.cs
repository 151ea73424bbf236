using System.Security.Cryptography;
using FactoryMesh.Core.Keys;
using Npgsql;

namespace FactoryMesh.Storage.Tests;

/// <summary>The cluster's shared secrets on PostgreSQL: one value per name across silos, sealed, and only under the cluster's key.</summary>
[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class ClusterSecretsTests(PostgreSqlCluster cluster)
{
    private static readonly byte[] Kek = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task Silos_creating_a_secret_at_once_all_get_the_one_that_was_stored()
    {
        var database = await NewDatabaseAsync();
        var silos = Enumerable.Range(0, 6).Select(_ => new ClusterSecrets(new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu"), Kek)).ToList();

        var values = await Task.WhenAll(silos.Select(s => s.GetOrCreateAsync("signing-secret", () => RandomNumberGenerator.GetBytes(32))));

        Assert.All(values, v => Assert.Equal(values[0], v));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM ClusterSecret"));
        // At rest the value is sealed: its bytes appear nowhere in the row.
        var stored = await new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu").ReadAsync("signing-secret");
        Assert.NotNull(stored);
        Assert.DoesNotContain(Convert.ToHexString(values[0]), Convert.ToHexString(stored.Sealed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_key_or_a_value_moved_to_another_name_does_not_open_and_the_error_names_only_the_secret()
    {
        var database = await NewDatabaseAsync();
        var store = new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu");
        var secrets = new ClusterSecrets(store, Kek);
        var value = await secrets.GetOrCreateAsync("audit-signing-key", () => RandomNumberGenerator.GetBytes(32));

        var wrongKey = new ClusterSecrets(store, RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => wrongKey.ReadAsync("audit-signing-key"));
        Assert.Contains("'audit-signing-key'", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(value), refused.Message, StringComparison.Ordinal);

        // A database writer copying one sealed value under another name gains nothing: the name is authenticated.
        var sealedValue = (await store.ReadAsync("audit-signing-key"))!.Sealed;
        Assert.True(await store.TryCreateAsync("signing-secret", sealedValue));
        await Assert.ThrowsAsync<InvalidOperationException>(() => secrets.ReadAsync("signing-secret"));
    }

    [Fact]
    public async Task Clusters_sharing_a_database_keep_their_own_secrets()
    {
        var database = await NewDatabaseAsync();
        var eu = new ClusterSecrets(new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu"), Kek);
        var us = new ClusterSecrets(new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-us"), RandomNumberGenerator.GetBytes(32));

        var euSecret = await eu.GetOrCreateAsync("signing-secret", () => RandomNumberGenerator.GetBytes(32));
        var usSecret = await us.GetOrCreateAsync("signing-secret", () => RandomNumberGenerator.GetBytes(32));

        Assert.NotEqual(euSecret, usSecret);
        Assert.Equal(euSecret, (await eu.ReadAsync("signing-secret"))!.Value);
        Assert.Equal(2L, await ScalarAsync(database, "SELECT count(*) FROM ClusterSecret"));
    }

    [Fact]
    public async Task A_replacement_succeeds_only_from_the_version_read()
    {
        var database = await NewDatabaseAsync();
        var secrets = new ClusterSecrets(new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu"), Kek);
        Assert.True(await secrets.TryWriteAsync("token-key-ring", 0, "first"u8.ToArray()));
        Assert.False(await secrets.TryWriteAsync("token-key-ring", 0, "again"u8.ToArray()));

        var read = await secrets.ReadAsync("token-key-ring");
        Assert.True(await secrets.TryWriteAsync("token-key-ring", read!.Version, "second"u8.ToArray()));
        Assert.False(await secrets.TryWriteAsync("token-key-ring", read.Version, "lost update"u8.ToArray()));

        Assert.Equal("second"u8.ToArray(), (await secrets.ReadAsync("token-key-ring"))!.Value);
    }

    [Fact]
    public async Task A_data_key_wrapped_through_one_silo_unwraps_through_another_for_its_tenant_only()
    {
        var database = await NewDatabaseAsync();
        using var siloA = new ClusterKeyVault(new ClusterSecrets(new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu"), Kek));
        using var siloB = new ClusterKeyVault(new ClusterSecrets(new ClusterSecretStore(StorageEngine.PostgreSql, database, "factory-eu"), Kek));

        // Both silos create the tenant's first KEK at once; one is kept, and both wrap under it.
        var wrapped = await Task.WhenAll(siloA.GenerateDataKeyAsync("acme"), siloB.GenerateDataKeyAsync("acme"));
        using var first = wrapped[0];
        using var second = wrapped[1];

        Assert.Equal(first.DataKey.ToArray(), await siloB.UnwrapAsync("acme", first.WrappedKey));
        Assert.Equal(second.DataKey.ToArray(), await siloA.UnwrapAsync("acme", second.WrappedKey));
        await Assert.ThrowsAsync<KeyUnwrapException>(() => siloB.UnwrapAsync("globex", first.WrappedKey));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM ClusterSecret WHERE Name LIKE 'tenant-kek/acme/%'"));
    }

    private async Task<string> NewDatabaseAsync()
    {
        var database = await cluster.NewDatabaseAsync("secrets_" + Guid.NewGuid().ToString("N")[..12]);
        await SchemaInstaller.InstallAsync(StorageEngine.PostgreSql, database);
        return database;
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
