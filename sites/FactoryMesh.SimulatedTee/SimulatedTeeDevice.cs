using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.SimulatedTee;

/// <summary>
/// A simulated TEE: a device key and certificate from a vendor CA that sign evidence, and a separate P-384
/// TEE key whose public half the evidence binds, so that key releases can be wrapped to it.
/// </summary>
public sealed class SimulatedTeeDevice : IDisposable
{
    private readonly X509Certificate2[] _issuers;
    private readonly JsonWebTokenHandler _handler = new();

    private readonly ECDsa _signingKey;

    internal SimulatedTeeDevice(X509Certificate2 deviceCertificate, X509Certificate2[] issuers)
    {
        DeviceCertificate = deviceCertificate;
        _issuers = issuers;
        _signingKey = deviceCertificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The device certificate has no private key.", nameof(deviceCertificate));
    }

    /// <summary>The device certificate, with its private key.</summary>
    public X509Certificate2 DeviceCertificate { get; }

    /// <summary>The TEE key: its private half never leaves the (simulated) TEE.</summary>
    public ECDsa TeeKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>SHA-256 thumbprint of the device certificate, upper-case hex.</summary>
    public string DeviceThumbprint => DeviceCertificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>The TEE public key as a JWK object.</summary>
    public JsonObject TeePublicJwk
    {
        get
        {
            var parameters = TeeKey.ExportParameters(includePrivateParameters: false);
            return new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-384",
                ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
                ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
            };
        }
    }

    /// <summary>The nonce a GPU answers with: base64url(SHA-256(challenge nonce ":" GPU id)).</summary>
    public static string GpuNonce(string challengeNonce, string gpuId) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{challengeNonce}:{gpuId}")));

    /// <summary>Signs <paramref name="evidence"/> as a compact JWS (ES384) with the device key and its x5c chain.</summary>
    public string CreateEvidence(SimulatedEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var gpus = new JsonArray();
        foreach (var gpu in evidence.Gpus)
        {
            gpus.Add(new JsonObject
            {
                ["id"] = gpu.Id,
                ["nonce"] = gpu.NonceOverride ?? GpuNonce(evidence.Nonce, gpu.Id),
                ["measurements"] = Measurements(gpu.Measurements),
                ["ccMode"] = gpu.CcModeOn ? "on" : "off",
                ["debug"] = gpu.Debug,
            });
        }

        var payload = new JsonObject
        {
            ["nodeId"] = evidence.NodeId,
            ["nonce"] = evidence.Nonce,
            ["teeKind"] = evidence.TeeKind,
            ["teePublicKey"] = TeePublicJwk,
            ["cpu"] = new JsonObject { ["measurements"] = Measurements(evidence.CpuMeasurements), ["debug"] = evidence.CpuDebug },
            ["gpus"] = gpus,
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        return Sign(payload.ToJsonString());
    }

    /// <summary>The device certificate and its private key, PEM, so a site agent keeps the same device across runs.</summary>
    public (string CertificatePem, string KeyPem) ExportPem() =>
        (DeviceCertificate.ExportCertificatePem(), _signingKey.ExportPkcs8PrivateKeyPem());

    /// <summary>Signs an arbitrary payload the same way (for tests that need malformed evidence).</summary>
    public string Sign(string payloadJson)
    {
        var chain = new[] { DeviceCertificate }.Concat(_issuers).Select(c => (object)Convert.ToBase64String(c.RawData)).ToList();
        var credentials = new SigningCredentials(new ECDsaSecurityKey(_signingKey), SecurityAlgorithms.EcdsaSha384);
        return _handler.CreateToken(payloadJson, credentials, new Dictionary<string, object> { ["x5c"] = chain });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DeviceCertificate.Dispose();
        _signingKey.Dispose();
        TeeKey.Dispose();
    }

    private static JsonObject Measurements(IReadOnlyDictionary<string, string> measurements)
    {
        var json = new JsonObject();
        foreach (var (name, value) in measurements)
        {
            json[name] = value;
        }

        return json;
    }
}
