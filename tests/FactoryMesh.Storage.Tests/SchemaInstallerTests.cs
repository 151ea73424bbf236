namespace FactoryMesh.Storage.Tests;

/// <summary>The query keys Orleans 10.4.2's ADO.NET providers look up in OrleansQuery.</summary>
internal static class OrleansQueryKeys
{
    public static readonly string[] GrainStorage = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey"];

    public static readonly string[] Reminders =
    [
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    // CleanupDefunctSiloEntryKey is optional to Orleans; when present it replaces the bulk clean-up.
    public static readonly string[] Clustering =
    [
        "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey", "InsertMembershipVersionKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
    ];

    public static async Task<string[]> ReadAsync(StorageEngine engine, string connectionString)
    {
        await using var connection = SchemaInstaller.OpenConnection(engine, connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return [.. keys];
    }

    public static string[] Sorted(params string[][] groups) => [.. groups.SelectMany(g => g).Order(StringComparer.Ordinal)];
}

[Collection(SqliteClusterDefinition.Name)]
public sealed class SqliteSchemaInstallerTests(SqliteCluster cluster)
{
    [Fact]
    public async Task Installing_twice_leaves_one_copy_of_every_query_Orleans_needs()
    {
        var database = cluster.NewDatabase("install-" + Guid.NewGuid().ToString("N"));

        await SchemaInstaller.InstallAsync(StorageEngine.Sqlite, database);
        await SchemaInstaller.InstallAsync(StorageEngine.Sqlite, database);

        Assert.Equal(
            OrleansQueryKeys.Sorted(OrleansQueryKeys.GrainStorage, OrleansQueryKeys.Reminders),
            await OrleansQueryKeys.ReadAsync(StorageEngine.Sqlite, database));
    }
}

[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class PostgreSqlSchemaInstallerTests(PostgreSqlCluster cluster)
{
    [Fact]
    public async Task Concurrent_and_repeated_installs_leave_one_copy_of_every_query_Orleans_needs()
    {
        var database = await cluster.NewDatabaseAsync("install_" + Guid.NewGuid().ToString("N")[..12]);

        // Silos starting together install together on an empty database; then a restart installs again.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SchemaInstaller.InstallAsync(StorageEngine.PostgreSql, database)));
        await SchemaInstaller.InstallAsync(StorageEngine.PostgreSql, database);

        Assert.Equal(
            OrleansQueryKeys.Sorted(OrleansQueryKeys.GrainStorage, OrleansQueryKeys.Reminders, OrleansQueryKeys.Clustering),
            await OrleansQueryKeys.ReadAsync(StorageEngine.PostgreSql, database));
    }
}
