using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.SimulatedTee;

/// <summary>
/// A simulated external verifier (standing in for NVIDIA's NRAS, Trustee or Intel Trust Authority): a signing key
/// whose JWKS the control plane is told to trust, and the result tokens each of them issues, shaped as their public
/// documentation describes (see <see cref="VerifierResultShapes"/>). The site agent uses it in simulation; tests
/// use it to build exactly the tokens a case needs.
/// </summary>
public sealed class SimulatedVerifier : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly AsymmetricAlgorithm _key;
    private readonly SigningCredentials _credentials;

    private SimulatedVerifier(string issuer, string keyId, AsymmetricAlgorithm key, SigningCredentials credentials)
    {
        Issuer = issuer;
        KeyId = keyId;
        _key = key;
        _credentials = credentials;
    }

    /// <summary>The <c>iss</c> of its tokens.</summary>
    public string Issuer { get; }

    /// <summary>The <c>kid</c> of its key.</summary>
    public string KeyId { get; }

    /// <summary>The algorithm it signs with.</summary>
    public string Algorithm => _credentials.Algorithm;

    /// <summary>Its JWKS (public key only), as the control plane pins it.</summary>
    public string JwksJson
    {
        get
        {
            var jwk = new JsonObject { ["kid"] = KeyId, ["use"] = "sig", ["alg"] = Algorithm };
            if (_key is ECDsa ec)
            {
                var q = ec.ExportParameters(includePrivateParameters: false).Q;
                jwk["kty"] = "EC";
                jwk["crv"] = "P-384";
                jwk["x"] = Base64UrlEncoder.Encode(q.X);
                jwk["y"] = Base64UrlEncoder.Encode(q.Y);
            }
            else
            {
                var parameters = ((RSA)_key).ExportParameters(includePrivateParameters: false);
                jwk["kty"] = "RSA";
                jwk["n"] = Base64UrlEncoder.Encode(parameters.Modulus);
                jwk["e"] = Base64UrlEncoder.Encode(parameters.Exponent);
            }

            return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
        }
    }

    /// <summary>A verifier signing ES384 with a new P-384 key (as NRAS does).</summary>
    public static SimulatedVerifier CreateEcdsa(string issuer, string keyId = "sim-verifier-1")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return new(issuer, keyId, key, new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha384));
    }

    /// <summary>A verifier signing PS384 with a new RSA-3072 key (as Intel Trust Authority does).</summary>
    public static SimulatedVerifier CreateRsa(string issuer, string keyId = "sim-verifier-rsa-1")
    {
        var key = RSA.Create(3072);
        return new(issuer, keyId, key, new SigningCredentials(new RsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.RsaSsaPssSha384));
    }

    /// <summary>Loads a verifier key saved by <see cref="ExportPem"/>.</summary>
    public static SimulatedVerifier FromPem(string issuer, string pem, string keyId = "sim-verifier-1")
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new(issuer, keyId, key, new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha384));
    }

    /// <summary>The private key as PKCS#8 PEM, to keep a simulated verifier across agent restarts.</summary>
    public string ExportPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Signs <paramref name="claims"/> (with <c>iss</c> set to this verifier) as a compact JWT.</summary>
    public string Sign(JsonObject claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        claims["iss"] ??= Issuer;
        return Handler.CreateToken(claims.ToJsonString(), _credentials);
    }

    /// <summary>Signs <paramref name="payloadJson"/> exactly as given (duplicate names, odd nesting and all): for tests of hostile claims.</summary>
    public string SignRaw(string payloadJson) => Handler.CreateToken(payloadJson, _credentials);

    /// <summary>
    /// An NVIDIA detached EAT bundle: each device's claims signed on their own, and an overall token whose
    /// <c>submods</c> commit to each by SHA-256; <paramref name="overall"/> may change the overall claims before signing.
    /// </summary>
    public string NvidiaBundle(string eatNonce, IReadOnlyList<(string Name, JsonObject Claims)> devices, DateTimeOffset now, Action<JsonObject>? overall = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var detached = devices.ToDictionary(d => d.Name, d => Sign(d.Claims), StringComparer.Ordinal);
        var overallClaims = VerifierResultShapes.NvidiaOverall(eatNonce, detached, now);
        overall?.Invoke(overallClaims);
        return Bundle(Sign(overallClaims), detached);
    }

    /// <summary>The bundle's JSON text, <c>[["JWT", overall], {name: jwt}]</c>.</summary>
    public static string Bundle(string overallToken, IReadOnlyDictionary<string, string> detached)
    {
        ArgumentNullException.ThrowIfNull(detached);
        var map = new JsonObject();
        foreach (var (name, token) in detached)
        {
            map[name] = token;
        }

        return new JsonArray(new JsonArray("JWT", overallToken), map).ToJsonString();
    }

    /// <summary>The digest an overall token commits to for a detached token: lower-case hex SHA-256 of its text.</summary>
    public static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
