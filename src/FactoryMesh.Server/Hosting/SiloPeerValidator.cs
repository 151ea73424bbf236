using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Decides whether a TLS peer is one of the cluster's silos: its certificate chains to the configured CA (never
/// downloading anything, no system roots), or, without a CA, it carries this silo's own public key.
/// </summary>
public sealed class SiloPeerValidator
{
    private readonly X509Certificate2? _authority;
    private readonly byte[] _ownPublicKeyHash;

    /// <summary>A validator for a silo presenting <paramref name="own"/>, trusting peers under <paramref name="authority"/> when given.</summary>
    public SiloPeerValidator(X509Certificate2 own, X509Certificate2? authority)
    {
        ArgumentNullException.ThrowIfNull(own);
        _authority = authority;
        _ownPublicKeyHash = PublicKeyHash(own);
    }

    /// <summary>Whether <paramref name="peer"/> may speak to this silo.</summary>
    public bool IsTrusted(X509Certificate2? peer, X509Chain? presented)
    {
        if (peer is null)
        {
            return false;
        }

        if (_authority is null)
        {
            return CryptographicOperations.FixedTimeEquals(PublicKeyHash(peer), _ownPublicKeyHash);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(peer);
    }

    /// <summary>The callback Orleans' TLS middleware asks, ignoring the platform's own verdict (it knows no cluster CA).</summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors) => IsTrusted(certificate, chain);

    private static byte[] PublicKeyHash(X509Certificate2 certificate) =>
        SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
}
