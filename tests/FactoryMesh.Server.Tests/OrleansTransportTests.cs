using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Hosting;
using FactoryMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Runtime;
using FactoryMesh.ServerHost;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// Orleans' own ports as an attacker on the host sees them: a grain call there passes no API check, so nobody without
/// the cluster's certificate may make one.
/// </summary>
public sealed class OrleansTransportTests
{
    [Fact]
    public async Task The_embedded_server_opens_no_orleans_gateway()
    {
        await using var server = new ServerFactory();
        _ = server.Server;

        Assert.Null(server.Services.GetRequiredService<ILocalSiloDetails>().GatewayAddress);
    }

    [Fact]
    public async Task A_configured_gateway_serves_a_client_with_the_silo_certificate_and_no_other()
    {
        var gatewayPort = FreePort.Next();
        await using var server = new ServerFactory(settings: new Dictionary<string, string>
        {
            ["FactoryMesh:Silo:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        });
        _ = server.Server;
        using var own = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(server.DataDirectory, SiloCertificate.EmbeddedFileName), null);
        using var stranger = ClusterCertificate.CreateSilo("someone-else");

        // The holder of the silo's certificate gets through (so the refusals below are TLS's doing, not a dead port).
        Assert.NotNull(await ListSitesThroughGatewayAsync(server.ClusterId, gatewayPort, own));
        await Assert.ThrowsAnyAsync<Exception>(() => ListSitesThroughGatewayAsync(server.ClusterId, gatewayPort, stranger));
        await Assert.ThrowsAnyAsync<Exception>(() => ListSitesThroughGatewayAsync(server.ClusterId, gatewayPort, certificate: null));
    }

    [Fact]
    public async Task The_silo_port_completes_no_tls_handshake_without_the_cluster_certificate()
    {
        await using var server = new ServerFactory();
        _ = server.Server;
        using var stranger = ClusterCertificate.CreateSilo("local-user");

        foreach (var certificate in new[] { null, stranger })
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, server.SiloPort);
#pragma warning disable CA5359 // the attacker does not care whom it talks to: what matters is whether the silo talks back
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
            var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "silo",
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            });
            // TLS 1.3 reports a refused client certificate on the first read, not in the handshake itself.
            var refused = await Record.ExceptionAsync(async () =>
            {
                await handshake;
                var buffer = new byte[1];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                if (await tls.ReadAsync(buffer, timeout.Token) == 0)
                {
                    throw new IOException("closed by the silo");
                }
            });
            Assert.NotNull(refused);
        }
    }

    [Fact]
    public async Task A_cluster_silo_without_a_certificate_refuses_to_start_and_says_what_to_set()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"factorymesh-notls-{Guid.NewGuid():N}");
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(
                dataDirectory,
                "--FactoryMesh:Storage=PostgreSql",
                "--ConnectionStrings:FactoryMesh=Host=127.0.0.1;Port=1;Username=nobody;Database=none",
                "--FactoryMesh:Silo:AdvertisedAddress=127.0.0.1"));

            Assert.Contains("FactoryMesh:Silo:Tls:CertificatePath", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public void Peers_are_trusted_by_the_cluster_authority_or_by_the_shared_key_and_nothing_else()
    {
        using var authority = ClusterCertificate.CreateAuthority("cluster-ca");
        using var otherAuthority = ClusterCertificate.CreateAuthority("other-ca");
        using var silo = ClusterCertificate.CreateSilo("silo-a", authority);
        using var peer = ClusterCertificate.CreateSilo("silo-b", authority);
        using var outsider = ClusterCertificate.CreateSilo("silo-x", otherAuthority);
        using var selfSigned = ClusterCertificate.CreateSilo("silo-y");

        var byAuthority = new SiloPeerValidator(silo, authority);
        Assert.True(byAuthority.IsTrusted(peer, null));
        Assert.False(byAuthority.IsTrusted(outsider, null));
        Assert.False(byAuthority.IsTrusted(selfSigned, null));
        Assert.False(byAuthority.IsTrusted(null, null));

        var byKey = new SiloPeerValidator(selfSigned, authority: null);
        using var sameKey = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        Assert.True(byKey.IsTrusted(sameKey, null));
        Assert.False(byKey.IsTrusted(peer, null));
    }

    private static async Task<IReadOnlyList<string>> ListSitesThroughGatewayAsync(string clusterId, int gatewayPort, X509Certificate2? certificate)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            if (certificate is not null)
            {
                client.UseTls(certificate, o =>
                {
                    o.AllowAnyRemoteCertificate();
                    o.SslProtocols = System.Security.Authentication.SslProtocols.Tls13;
                });
            }
        });
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StartAsync(timeout.Token);
        try
        {
            var grains = host.Services.GetRequiredService<IClusterClient>();
            return await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync().WaitAsync(timeout.Token);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
