using FactoryMesh.ServerHost;
using FactoryMesh.Storage;

namespace FactoryMesh.Server.Tests;

/// <summary>A server told not to install the schema: it refuses a database that <c>fmctl db init</c> has not prepared, and starts on one that it has.</summary>
public sealed class SchemaPreparationTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"factorymesh-schema-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_with_installation_off_refuses_an_unprepared_database_naming_the_command_and_starts_once_it_ran()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(_data, "--FactoryMesh:InstallSchema=false"));
        Assert.Contains("run `fmctl db init`", refused.Message, StringComparison.Ordinal);

        // What fmctl db init runs, against the server's own SQLite file.
        await SchemaInstaller.InstallAsync(StorageEngine.Sqlite, SiloStorageExtensions.SqliteConnectionString(Path.Combine(_data, "factorymesh.db")));

        await using var server = await ServerProcess.StartAsync(_data, "--FactoryMesh:InstallSchema=false");
        using var client = server.Client(server.OperatorToken);
        Assert.True((await client.GetAsync("/api/v1/sites")).IsSuccessStatusCode);
    }
}
