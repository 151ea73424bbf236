using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Server.Tests.Authorization;

/// <summary>
/// What the matrix acts on, made once per server: a site with a Trusted node hosting a placed model of a tenant, a
/// second node to revoke, another site and tenant, and a token of every kind of caller.
/// </summary>
public sealed class Scene
{
    public const string SiteBody = """{"jurisdiction": "DE", "zones": ["{zone}"], "electricityUsdPerKwh": 0.2, "pue": 1.2, "carbonGramsPerKwh": 380}""";
    public const string NodeBody = """{"gpuModel": "H100", "gpuCount": 8, "gpuMemoryGiB": 80, "teeKind": "SIM", "powerWatts": 10200, "costUsdPerHour": 24}""";
    public const string NodeBatchBody = """[{"nodeId": "node-1", "gpuModel": "H100", "gpuCount": 8, "gpuMemoryGiB": 80, "teeKind": "SIM", "powerWatts": 10200, "costUsdPerHour": 24}]""";
    public const string HeartbeatBody = """[{"nodeId": "{nodeId}", "epoch": 1, "gpuUtilization": 0.5, "gpuMemoryUsedGiB": 10, "powerWatts": 5000, "tokensPerSecond": 100}]""";
    public const string TenantBody = """{"allowedZones": ["{zone}"]}""";
    public const string ModelBody = """{"gpuMemoryGiB": 80, "tokensPerSecondByGpu": {"H100": 2400}, "replicas": 1, "minSites": 1}""";

    private static readonly ConcurrentDictionary<ServerFactory, Lazy<Task<Scene>>> Scenes = new();

    private Scene(string run) => Run = run;

    public string Run { get; }

    public string SiteId => $"ms-{Run}";

    public string NodeId => $"{SiteId}/node-1";

    public string VictimId => $"{SiteId}/node-2";

    public string TenantId => $"mt-{Run}";

    public const string ModelId = "llama";

    public string Zone => $"M-{Run.ToUpperInvariant()}";

    public Dictionary<Caller, string?> Tokens { get; } = [];

    public static Task<Scene> OfAsync(ServerFactory server) =>
        Scenes.GetOrAdd(server, s => new Lazy<Task<Scene>>(() => CreateAsync(s))).Value;

    /// <summary><paramref name="template"/> with the scene's ids in place of its placeholders.</summary>
    public string Fill(string template) => template
        .Replace("{site}", SiteId, StringComparison.Ordinal)
        .Replace("{node}", Uri.EscapeDataString(NodeId), StringComparison.Ordinal)
        .Replace("{nodeId}", NodeId, StringComparison.Ordinal)
        .Replace("{victim}", Uri.EscapeDataString(VictimId), StringComparison.Ordinal)
        .Replace("{tenant}", TenantId, StringComparison.Ordinal)
        .Replace("{model}", ModelId, StringComparison.Ordinal)
        .Replace("{zone}", Zone, StringComparison.Ordinal);

    private static async Task<Scene> CreateAsync(ServerFactory server)
    {
        var scene = new Scene(Guid.NewGuid().ToString("N")[..8]);
        using var op = server.Operator();
        var otherSite = await Fleet.CreateSiteAsync(op);
        await ApiAssert.OkJsonAsync(await op.PutAsync($"/api/v1/sites/{scene.SiteId}", Json(scene.Fill(SiteBody))));
        await ApiAssert.OkJsonAsync(await op.PutAsync($"/api/v1/sites/{scene.SiteId}/nodes/node-1", Json(NodeBody)));
        await ApiAssert.OkJsonAsync(await op.PutAsync($"/api/v1/sites/{scene.SiteId}/nodes/node-2", Json(NodeBody)));
        using var device = server.Vendor.IssueDevice(scene.NodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(op, device, scene.NodeId));
        await ApiAssert.OkJsonAsync(await op.PutAsync($"/api/v1/tenants/{scene.TenantId}", Json(scene.Fill(TenantBody))));
        await ApiAssert.OkJsonAsync(await op.PutAsync($"/api/v1/tenants/{scene.TenantId}/models/{Scene.ModelId}", Json(ModelBody)));
        await ApiAssert.OkJsonAsync(await op.PostAsync($"/api/v1/tenants/{scene.TenantId}/models/{Scene.ModelId}/placement", null));

        scene.Tokens[Caller.Anonymous] = null;
        scene.Tokens[Caller.Operator] = server.OperatorToken;
        scene.Tokens[Caller.Scheduler] = await IssueAsync(op, new { role = "scheduler" });
        scene.Tokens[Caller.AgentOfThisSite] = await IssueAsync(op, new { role = "agent", site = scene.SiteId });
        scene.Tokens[Caller.AgentOfAnotherSite] = await IssueAsync(op, new { role = "agent", site = otherSite });
        scene.Tokens[Caller.ViewerOfThisTenant] = await IssueAsync(op, new { role = "viewer", tenant = scene.TenantId });
        scene.Tokens[Caller.ViewerOfAnotherTenant] = await IssueAsync(op, new { role = "viewer", tenant = $"other-{scene.Run}" });
        scene.Tokens[Caller.MetricsScraper] = await IssueAsync(op, new { role = "metrics" });

        // Tokens that must never authenticate, each as an operator's: what an attacker would try first.
        var realKey = server.Services.GetRequiredService<TokenSigningKeys>().Active;
        var now = DateTimeOffset.UtcNow;
        scene.Tokens[Caller.Expired] = Sign(realKey, SecurityAlgorithms.HmacSha256, now.AddHours(-2), now.AddMinutes(-10), TokenIssuer.Issuer);
        scene.Tokens[Caller.WrongAudience] = Sign(realKey, SecurityAlgorithms.HmacSha256, now, now.AddHours(1), "someone-else");
        scene.Tokens[Caller.ForeignKey] = Sign(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = realKey.KeyId }, SecurityAlgorithms.HmacSha256, now, now.AddHours(1), TokenIssuer.Issuer);
        scene.Tokens[Caller.AlgNone] = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(OperatorClaims(now, now.AddHours(1), TokenIssuer.Issuer))}.";
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var attackerKey = new ECDsaSecurityKey(attacker) { KeyId = realKey.KeyId };
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(attacker.ExportParameters(false))));
        scene.Tokens[Caller.EmbeddedJwk] = new JsonWebTokenHandler().CreateToken(
            OperatorClaims(now, now.AddHours(1), TokenIssuer.Issuer),
            new SigningCredentials(attackerKey, SecurityAlgorithms.EcdsaSha256),
            new Dictionary<string, object> { ["jwk"] = JsonSerializer.Deserialize<JsonElement>(JsonSerializer.Serialize(new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y })) });
        return scene;
    }

    private static async Task<string> IssueAsync(HttpClient op, object request) =>
        (await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/tokens", request))).GetProperty("token").GetString()!;

    private static string OperatorClaims(DateTimeOffset issuedAt, DateTimeOffset expiresAt, string audience) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["iss"] = TokenIssuer.Issuer,
        ["aud"] = audience,
        ["sub"] = "mallory",
        ["role"] = Roles.Operator,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        ["exp"] = expiresAt.ToUnixTimeSeconds(),
    });

    private static string Sign(SecurityKey key, string algorithm, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string audience) =>
        new JsonWebTokenHandler().CreateToken(OperatorClaims(issuedAt, expiresAt, audience), new SigningCredentials(key, algorithm));

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
