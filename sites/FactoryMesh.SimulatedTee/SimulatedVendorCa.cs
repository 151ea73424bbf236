using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FactoryMesh.SimulatedTee;

/// <summary>
/// A simulated GPU/CPU vendor's certificate authority: a self-signed P-384 root that issues device
/// certificates. Nothing trusts it unless an operator points the control plane at its root certificate.
/// </summary>
public sealed class SimulatedVendorCa : IDisposable
{
    /// <summary>
    /// The extended key usage of device certificates issued for attestation; the control plane's sim-jws verifier
    /// requires the same OID (<c>SimulatedTeeVerifier.DeviceAttestationEku</c>, checked equal by a test).
    /// </summary>
    public const string DeviceAttestationEku = "2.25.311570984066893159923911884425029240675";

    private SimulatedVendorCa(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The root certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new root named <paramref name="name"/>, valid between the two instants.</summary>
    public static SimulatedVendorCa Create(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest($"CN={name}, O=FactoryMesh Simulated Vendor", key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new SimulatedVendorCa(request.CreateSelfSigned(notBefore, notAfter));
    }

    /// <summary>Loads a root (certificate and key) saved by <see cref="ExportPem"/>.</summary>
    public static SimulatedVendorCa LoadPem(string certificatePem, string keyPem) =>
        new(X509Certificate2.CreateFromPem(certificatePem, keyPem));

    /// <summary>The root certificate alone, PEM: what the control plane is told to trust.</summary>
    public string RootCertificatePem => Certificate.ExportCertificatePem();

    /// <summary>The root's certificate and private key, PEM, to keep the CA across runs.</summary>
    public (string CertificatePem, string KeyPem) ExportPem()
    {
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The CA has no private key.");
        return (Certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Issues a device with its own device key and certificate, valid between the two instants.</summary>
    public SimulatedTeeDevice IssueDevice(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        IssueDevice(subject, notBefore, notAfter, DeviceAttestationEku);

    /// <summary>
    /// Issues a device certificate with the given extended key usages instead (none when empty): what a certificate
    /// for some other purpose under the same root looks like, which must not sign evidence.
    /// </summary>
    public SimulatedTeeDevice IssueDevice(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] extendedKeyUsages)
    {
        ArgumentNullException.ThrowIfNull(extendedKeyUsages);
        var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest($"CN={subject}, O=FactoryMesh Simulated Device", deviceKey, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (extendedKeyUsages.Length > 0)
        {
            var usages = new OidCollection();
            foreach (var usage in extendedKeyUsages)
            {
                usages.Add(new Oid(usage));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var issued = request.Create(Certificate, notBefore, notAfter, serial);
        return new SimulatedTeeDevice(issued.CopyWithPrivateKey(deviceKey), [Certificate]);
    }

    /// <summary>
    /// Loads a device this CA issued earlier, from what <see cref="SimulatedTeeDevice.ExportPem"/> saved. The device
    /// gets a fresh TEE key: like a real TEE's, it lives only as long as the (simulated) machine runs.
    /// </summary>
    public SimulatedTeeDevice LoadDevice(string certificatePem, string keyPem) =>
        new(X509Certificate2.CreateFromPem(certificatePem, keyPem), [Certificate]);

    /// <summary>True when <paramref name="device"/>'s certificate is issued for attestation (devices issued before the EKU was required are not).</summary>
    public static bool IsIssuedForAttestation(SimulatedTeeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.DeviceCertificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == DeviceAttestationEku));
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
