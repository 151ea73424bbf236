namespace FactoryMesh.Storage.Tests;

/// <summary>What a server with schema installation off checks: every script this code carries, run in its current form.</summary>
[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class SchemaHistoryTests(PostgreSqlCluster cluster)
{
    [Fact]
    public async Task An_empty_database_has_every_script_pending_and_an_installed_one_none()
    {
        var database = await cluster.NewDatabaseAsync("history_" + Guid.NewGuid().ToString("N")[..12]);
        var scripts = SchemaScript.For(StorageEngine.PostgreSql).Select(s => s.Name).ToList();

        Assert.Equal(scripts, await SchemaInstaller.PendingScriptsAsync(StorageEngine.PostgreSql, database));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SchemaInstaller.PrepareAsync(StorageEngine.PostgreSql, database, install: false));
        Assert.Contains("fmctl db init", refused.Message, StringComparison.Ordinal);
        Assert.Contains("007-cluster-secrets.sql", refused.Message, StringComparison.Ordinal);

        await SchemaInstaller.PrepareAsync(StorageEngine.PostgreSql, database, install: true);

        Assert.Empty(await SchemaInstaller.PendingScriptsAsync(StorageEngine.PostgreSql, database));
        await SchemaInstaller.PrepareAsync(StorageEngine.PostgreSql, database, install: false);
    }

    [Fact]
    public async Task A_script_run_in_an_older_form_is_pending_again()
    {
        var database = await cluster.NewDatabaseAsync("history_" + Guid.NewGuid().ToString("N")[..12]);
        await SchemaInstaller.InstallAsync(StorageEngine.PostgreSql, database);
        await using (var connection = SchemaInstaller.OpenConnection(StorageEngine.PostgreSql, database))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE SchemaScriptApplied SET Sha256 = 'an-older-version' WHERE Name = '005-audit.sql'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        Assert.Equal(["005-audit.sql"], await SchemaInstaller.PendingScriptsAsync(StorageEngine.PostgreSql, database));
        await SchemaInstaller.InstallAsync(StorageEngine.PostgreSql, database); // what fmctl db init runs: an upgrade
        Assert.Empty(await SchemaInstaller.PendingScriptsAsync(StorageEngine.PostgreSql, database));
    }
}
