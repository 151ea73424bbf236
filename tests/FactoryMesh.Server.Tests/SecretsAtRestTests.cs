using System.Net.Http.Json;
using FactoryMesh.ServerHost;

namespace FactoryMesh.Server.Tests;

/// <summary>The data folder as another OS user on the host sees it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are what is tested
public sealed class SecretsAtRestTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_data_folder_and_every_secret_in_it_are_for_the_owner_only()
    {
        await using var server = new ServerFactory();
        _ = server.Server; // the factory made the folder with the default mode: the server narrows it
        using var api = server.Operator();
        (await api.PutAsJsonAsync("/api/v1/tenants/at-rest", new { allowedZones = new[] { "EU" } })).EnsureSuccessStatusCode();
        (await api.PostAsync("/api/v1/tenants/at-rest/datakeys", null)).EnsureSuccessStatusCode(); // makes the tenant's KEK
        (await api.PostAsJsonAsync("/api/v1/attestation/revocations", new { certificate = "00AA11", reason = "modes" })).EnsureSuccessStatusCode(); // an audit append: the checkpoint

        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(server.DataDirectory));
        foreach (var name in new[] { "signing.key", "operator.token", "key-vault.json", "vault-master.key", "audit-signing.pem", "audit-checkpoint.json", "silo-tls.pfx", "factorymesh.db" })
        {
            var path = Path.Combine(server.DataDirectory, name);
            Assert.True(File.Exists(path), $"{name} should exist");
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("signing.key")]
    [InlineData("operator.token")]
    [InlineData("silo-tls.pfx")]
    [InlineData("audit-signing.pem")]
    [InlineData("vault-master.key")]
    public async Task A_server_refuses_to_start_on_a_secret_others_can_read(string secret)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"factorymesh-modes-{Guid.NewGuid():N}");
        try
        {
            await using (var first = await ServerProcess.StartAsync(dataDirectory))
            {
                await first.StopAsync();
            }

            var path = Path.Combine(dataDirectory, secret);
            var before = await File.ReadAllBytesAsync(path);
            File.SetUnixFileMode(path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(dataDirectory));

            Assert.Contains($"{secret} is readable or writable by other users", refused.Message, StringComparison.Ordinal);
            Assert.Equal(before, await File.ReadAllBytesAsync(path)); // refused, not replaced
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
