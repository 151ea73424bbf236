using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.KeyRelease;

/// <summary>A node's TEE public key (an EC P-384 JWK), as attested and as presented for key release.</summary>
public sealed class TeeKey
{
    private TeeKey(string x, string y)
    {
        X = x;
        Y = y;
    }

    /// <summary>The key's x coordinate, base64url.</summary>
    public string X { get; }

    /// <summary>The key's y coordinate, base64url.</summary>
    public string Y { get; }

    /// <summary>Reads a P-384 public JWK; null when it is not one (wrong type or curve, bad coordinates, a private part).</summary>
    public static TeeKey? TryParse(string? jwk)
    {
        if (string.IsNullOrEmpty(jwk))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(jwk);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "kty") != "EC" || Text(root, "crv") != "P-384" || root.TryGetProperty("d", out _)
                || Text(root, "x") is not { } x || Text(root, "y") is not { } y
                || Base64UrlEncoder.DecodeBytes(x).Length != 48 || Base64UrlEncoder.DecodeBytes(y).Length != 48)
            {
                return null;
            }

            return new TeeKey(x, y);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True when both are the same public key.</summary>
    public bool SameAs(TeeKey other) =>
        other is not null && string.Equals(X, other.X, StringComparison.Ordinal) && string.Equals(Y, other.Y, StringComparison.Ordinal);

    /// <summary>
    /// Wraps <paramref name="dataKey"/> to this key as a compact JWE (ECDH-ES+A256KW, A256GCM): only the holder of
    /// the TEE's private key, inside the attested TEE, can open it. The key is handed to the JOSE library as it is, with
    /// no copy of this method's own left behind; the caller zeroes it.
    /// </summary>
    public string Wrap(byte[] dataKey)
    {
        using var recipient = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP384,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(X), Y = Base64UrlEncoder.DecodeBytes(Y) },
        });
        return Jose.JWT.EncodeBytes(dataKey, recipient, Jose.JweAlgorithm.ECDH_ES_A256KW, Jose.JweEncryption.A256GCM);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
