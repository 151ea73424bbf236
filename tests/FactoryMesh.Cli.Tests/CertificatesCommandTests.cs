using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl certificates revoke</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class CertificatesCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Revoke_records_the_certificate_and_lists_the_nodes_it_untrusted()
    {
        var result = (await fleet.RunAsync("certificates", "revoke", "0a1b2c3d4e5f", "--reason", "device key leaked", "-o", "json")).AssertSucceeded();

        var revocation = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("0A1B2C3D4E5F", revocation.GetProperty("certificate").GetString());
        Assert.Equal(JsonValueKind.Array, revocation.GetProperty("untrustedNodes").ValueKind);
    }

    [Fact]
    public async Task Revoke_of_something_that_is_not_hex_names_the_field()
    {
        var result = await fleet.RunAsync("certificates", "revoke", "not-hex", "--reason", "drill");

        Assert.Equal(
            "fmctl: 400 The request is not valid: certificate: Required: the certificate's SHA-256 thumbprint or serial number, in hex.",
            result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Revoke_with_a_viewer_token_is_forbidden()
    {
        var viewer = (await fleet.RunAsync("tokens", "issue", "--role", "viewer", "--tenant", "acme")).AssertSucceeded().StandardOutput.Trim();

        var result = await fleet.RunWithTokenAsync(viewer, "certificates", "revoke", "0a1b2c", "--reason", "drill");

        Assert.Equal("fmctl: 403 Forbidden: this token's role may not do that", result.AssertFailedWithOneLine(1));
    }
}
