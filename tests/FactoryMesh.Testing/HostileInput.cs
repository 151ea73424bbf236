using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace FactoryMesh.Testing;

/// <summary>
/// Generators of what an attacker or a broken client sends: strings of every awkward kind, JSON of every shape (with
/// the fields a route expects, wrong types, extreme numbers, deep nesting, truncation), route ids and JOSE-looking
/// tokens. Shared by the property tests that throw them at the evidence parsers and at every route family.
/// (Static generators are declared before their users: they are initialized in that order.)
/// </summary>
public static class HostileInput
{
    private static readonly string[] Nasty =
    [
        "", " ", "\t\n", "null", "true", "-1", "0", "1e309", "NaN", "-0", "9223372036854775808", "💥", "\u0000", "\uFFFF",
        "\"><img src=x onerror=alert(1)>", "'; DROP TABLE AuditRecord; --", "../../etc/passwd", "%2F%2E%2E", "a/b/c",
        "eu-fra-1", "eu-fra-1/node-1", "SIM", "H100", "EU", "DE", "operator", "agent", "sim-jws", "eat-jwt",
    ];

    /// <summary>A string: a known nasty one, random printable or arbitrary characters, or a long run (up to 100,000).</summary>
    public static Gen<string> Text { get; } = Gen.Frequency(
        (4, Gen.OneOf<string>(Nasty)),
        (4, Gen.String[Gen.Char.AlphaNumeric, 0, 40]),
        (2, Gen.String[Gen.Char, 0, 60]),
        (1, Gen.Int[1_000, 100_000].Select(n => new string('x', n))));

    /// <summary>A route id: text as above, percent-encoded or not.</summary>
    public static Gen<string> Id { get; } = Gen.Frequency(
        (3, Text.Select(t => Uri.EscapeDataString(t.Length > 2_000 ? t[..2_000] : t))),
        (1, Gen.String[Gen.Char.AlphaNumeric, 1, 30]));

    /// <summary>A JSON number as text, ordinary or extreme.</summary>
    public static Gen<string> Number { get; } = Gen.Frequency(
        (3, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0")),
        (1, Gen.OneOf<string>("1e309", "-1e309", "9223372036854775808", "-9223372036854775809", "0.0000000000000000000001", "1E+400", "-0")));

    private static Gen<string> Scalar { get; } = Gen.Frequency(
        (3, Text.Select(t => JsonSerializer.Serialize(t))),
        (3, Number),
        (1, Gen.OneOf<string>("true", "false", "null")));

    private static Gen<string> Header { get; } = Gen.Select(
        Gen.OneOf<string>("none", "HS256", "ES384", "ES256", "RS256", "PS256", "dir", "ECDH-ES+A256KW", ""),
        Gen.Frequency((2, Gen.Const(string.Empty)), (1, Gen.String[Gen.Char.AlphaNumeric, 0, 300].Select(s => $",\"x5c\":[\"{s}\"]")), (1, Gen.Const(",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}")), (1, Gen.Const(",\"jku\":\"http://attacker.example/jwks\""))),
        (alg, extra) => $"{{\"alg\":\"{alg}\",\"kid\":\"k0\"{extra}}}");

    /// <summary>A JSON document: an object using <paramref name="fields"/> among random keys, an array of such, a bare value, or broken JSON.</summary>
    public static Gen<string> Json(params string[] fields)
    {
        var keys = fields.Length == 0 ? Text : Gen.Frequency((4, Gen.OneOf<string>(fields)), (1, Text.Select(t => t.Length > 50 ? t[..50] : t)));
        var value = Value(keys, 4);
        var document = Gen.Frequency(
            (5, Object(keys, value)),
            (2, Gen.Select(Object(keys, value).Array[0, 5], items => $"[{string.Join(',', items)}]")),
            (1, value),
            (1, Text.Select(t => JsonSerializer.Serialize(t))));
        return Gen.Frequency(
            (8, document),
            (1, Gen.Select(document, Gen.Int[0, 100], (json, cut) => json[..(json.Length * cut / 100)])),
            (1, Text));
    }

    /// <summary>Something shaped like a compact JWS/JWT or JWE: random or JSON headers and payloads, any number of parts.</summary>
    public static Gen<string> Jose { get; } = Gen.Frequency(
        (3, Gen.Select(Header, Json("nodeId", "nonce", "cpu", "gpus", "teeKind", "teePublicKey", "eat_nonce", "measurements", "iss", "aud", "exp"), Gen.String[Gen.Char.AlphaNumeric, 0, 90],
            (header, payload, signature) => $"{Encode(header)}.{Encode(payload)}.{signature}")),
        (1, Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 40].Array[1, 7], parts => string.Join('.', parts))),
        (1, Text));

    private static Gen<string> Value(Gen<string> keys, int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, Gen.Select(Gen.Int[0, 4], n => n).SelectMany(n => Value(keys, depth - 1).Array[n]).Select(items => $"[{string.Join(',', items)}]")),
            (1, Object(keys, Value(keys, depth - 1))),
            (1, Gen.Int[20, 200].Select(n => string.Concat(Enumerable.Repeat("[", n)) + string.Concat(Enumerable.Repeat("]", n)))));

    private static Gen<string> Object(Gen<string> keys, Gen<string> value) =>
        Gen.Select(keys, value).Array[0, 8].Select(pairs => "{" + string.Join(',', pairs.Select(p => $"{JsonSerializer.Serialize(p.Item1)}:{p.Item2}")) + "}");

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
