using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Reads a node's TEE public key from a verifier's result: a JWK object as FactoryMesh's agents bind it, or the
/// base64url SubjectPublicKeyInfo that EAR's key-attestation extension carries (<c>akpub</c>), turned into a JWK.
/// </summary>
public static class TeeKeyClaim
{
    /// <summary>The key at <paramref name="path"/> under <paramref name="claims"/> as JWK JSON, or null when absent or unreadable.</summary>
    public static string? Read(JsonElement claims, string path)
    {
        if (string.IsNullOrEmpty(path) || !ClaimPath.TryGet(claims, path, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.GetRawText();
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Base64UrlEncoder.DecodeBytes(value.GetString()), out _);
            var parameters = key.ExportParameters(includePrivateParameters: false);
            var curve = parameters.Curve.Oid.FriendlyName switch
            {
                "nistP256" or "ECDSA_P256" => "P-256",
                "nistP384" or "ECDSA_P384" => "P-384",
                "nistP521" or "ECDSA_P521" => "P-521",
                _ => null,
            };
            return curve is null ? null : new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = curve,
                ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
                ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
            }.ToJsonString();
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
