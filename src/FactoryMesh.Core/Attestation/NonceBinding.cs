using System.Security.Cryptography;
using System.Text;

namespace FactoryMesh.Core.Attestation;

/// <summary>How evidence carries the challenge it answers.</summary>
public enum NonceBinding
{
    /// <summary>The challenge nonce itself.</summary>
    Exact,

    /// <summary>
    /// The lower-case hex SHA-256 of the challenge (as its UTF-8 text): for verifiers that take a fixed 32-byte
    /// nonce, as NVIDIA's do, while FactoryMesh's challenges are longer and carry their own binding.
    /// </summary>
    Sha256Hex,
}

/// <summary>Computes what a challenge looks like under each <see cref="NonceBinding"/>.</summary>
public static class NonceBindings
{
    /// <summary><paramref name="challenge"/> as evidence of <paramref name="binding"/> carries it.</summary>
    public static string Encode(NonceBinding binding, string challenge) => binding switch
    {
        NonceBinding.Sha256Hex => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(challenge))),
        _ => challenge,
    };

    /// <summary>Parses a configured binding name (<c>exact</c>, <c>sha256-hex</c>).</summary>
    public static NonceBinding Parse(string? name, NonceBinding fallback) => name switch
    {
        null or "" => fallback,
        "exact" => NonceBinding.Exact,
        "sha256-hex" => NonceBinding.Sha256Hex,
        _ => throw new FormatException($"Unknown nonce binding '{name}': use 'exact' or 'sha256-hex'."),
    };
}
