using FactoryMesh.Storage;
using Orleans.Connections.Security;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Mutual TLS on every Orleans connection (silo to silo, and the gateway when one is opened): a grain call arriving
/// there has passed no API check, so only a holder of the cluster's certificate may make one.
/// </summary>
public static partial class SiloTransportSecurityExtensions
{
    /// <summary>
    /// Configures TLS by <paramref name="tls"/>: the configured certificate; on the embedded default without one, the
    /// silo's own certificate from the data folder; a cluster silo with neither refuses to start unless
    /// <see cref="SiloTlsSettings.Insecure"/> says otherwise.
    /// </summary>
    public static ISiloBuilder UseSiloTransportSecurity(this ISiloBuilder silo, FactoryMeshOptions options, SiloTlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tls);
        if (tls.CertificatePath is null && tls.Insecure)
        {
            silo.Services.AddHostedService<InsecureTransportWarning>();
            return silo;
        }

        if (tls.CertificatePath is null && options.Storage != StorageEngine.Sqlite)
        {
            throw new InvalidOperationException(
                $"A cluster silo needs mutual TLS between silos: set {SiloTlsSettings.Section}:CertificatePath (PEM or PFX, with its key), " +
                $"and {SiloTlsSettings.Section}:CaPath unless every silo shares that one certificate; " +
                $"{SiloTlsSettings.Section}:Insecure=true runs without TLS, for local tests only.");
        }

        var certificate = tls.CertificatePath is null
            ? SiloCertificate.LoadOrCreateEmbedded(options.DataDirectoryFullPath)
            : SiloCertificate.Load(tls);
        var authority = tls.CaPath is { } caPath
            ? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caPath)
            : null;
        var peers = new SiloPeerValidator(certificate, authority);
        return silo.UseTls(o =>
        {
            o.LocalCertificate = certificate;
            o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.RemoteCertificateValidation = peers.Validate;
            o.CheckCertificateRevocation = false; // the cluster CA is private: nothing to ask, and nothing may be downloaded
            o.SslProtocols = System.Security.Authentication.SslProtocols.Tls13;
        });
    }

    /// <summary>Says on every start that this silo's Orleans connections are unauthenticated.</summary>
    private sealed partial class InsecureTransportWarning(ILogger<InsecureTransportWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogInsecure();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "FactoryMesh:Silo:Tls:Insecure=true: Orleans connections are NOT authenticated; anyone reaching the silo port can call grains directly. For local tests only.")]
        private partial void LogInsecure();
    }
}
