using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Hosting;

/// <summary>Loads the silo's TLS certificate, or makes the embedded default's own.</summary>
public static class SiloCertificate
{
    /// <summary>The embedded default's self-made certificate, in the data folder (owner-only).</summary>
    public const string EmbeddedFileName = "silo-tls.pfx";

    /// <summary>Loads the configured certificate; it must carry its private key.</summary>
    public static X509Certificate2 Load(SiloTlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = settings.CertificatePath ?? throw new InvalidOperationException($"{SiloTlsSettings.Section}:CertificatePath is not set.");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{SiloTlsSettings.Section}:CertificatePath: {path} does not exist.");
        }

        SecretFileModes.EnsureOwnerOnly(path);
        if (settings.KeyPath is { } keyPath)
        {
            SecretFileModes.EnsureOwnerOnly(keyPath);
        }

        var certificate = IsPem(path)
            ? X509Certificate2.CreateFromPemFile(path, settings.KeyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword);
        return WithExportableKey(certificate, path);
    }

    /// <summary>
    /// The embedded silo's certificate: made once (ECDSA P-256, ten years) and kept in the data folder, so only the
    /// process's own OS user can present it. Nothing else ever holds it, which is the point: a local user cannot
    /// speak to the silo port.
    /// </summary>
    public static X509Certificate2 LoadOrCreateEmbedded(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, EmbeddedFileName);
        if (!File.Exists(path))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=factorymesh-embedded-silo", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            OwnerOnlyFile.WriteAllBytes(path, made.Export(X509ContentType.Pkcs12));
        }

        SecretFileModes.EnsureOwnerOnly(path);
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[64];
        var read = reader.Read(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    // TLS on Linux wants a key it can hand to OpenSSL; one round through PKCS#12 gives every loader's key that shape.
    private static X509Certificate2 WithExportableKey(X509Certificate2 certificate, string path)
    {
        using (certificate)
        {
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"{SiloTlsSettings.Section}:CertificatePath: {path} holds no private key (give it in the file or as KeyPath).");
            }

            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }
}
