namespace FactoryMesh.Server.Hosting;

/// <summary>
/// How silos (and, when one is opened, Orleans clients at the gateway) prove themselves to each other
/// (<c>FactoryMesh:Silo:Tls</c>). Every Orleans connection carries grain calls that skip the API's checks, so none is
/// accepted from a peer without the cluster's certificate.
/// </summary>
public sealed class SiloTlsSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Silo:Tls";

    /// <summary>
    /// This silo's certificate with its private key (<c>CertificatePath</c>): a PFX, or a PEM holding the certificate
    /// (and the key, unless <see cref="KeyPath"/> names it). Required in cluster mode; the embedded default makes its
    /// own in the data folder.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key, when it is not in <see cref="CertificatePath"/> (<c>KeyPath</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX password (<c>CertificatePassword</c>), if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// PEM certificate of the CA that issues the cluster's silo certificates (<c>CaPath</c>). Without it every peer
    /// must present a certificate with this silo's own public key: one certificate shared by the cluster.
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>
    /// Run a cluster silo without TLS (<c>Insecure</c>): for local tests on one machine only; logged as a warning on
    /// every start.
    /// </summary>
    public bool Insecure { get; set; }
}
