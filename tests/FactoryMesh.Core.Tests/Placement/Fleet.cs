using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Tests.Placement;

/// <summary>Small builders for placement tests: nodes trusted and ready unless told otherwise, at one fixed instant.</summary>
internal static class Fleet
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan MinFreshness = TimeSpan.FromSeconds(60);

    public static SiteProfile Site(string jurisdiction, string[] zones, double usdPerKwh, double pue, double carbon) =>
        new(jurisdiction, zones, usdPerKwh, pue, carbon);

    public static TrustStatus TrustedFor(TimeSpan remaining, TimeSpan age) =>
        new(TrustState.Trusted, Now - age, Now + remaining, "attested");

    public static PlacementCandidate Node(string siteId, SiteProfile site, string name, string gpu = "H100", int gpus = 8, double gpuGiB = 80,
        string tee = "TDX", double watts = 10_200, double usdPerHour = 24, double? freeGiB = null, TrustStatus? trust = null,
        Liveness liveness = Liveness.Ready) =>
        new(new NodePlacementFacts($"{siteId}/{name}", new NodeInventory(gpu, gpus, gpuGiB, tee, watts, usdPerHour),
                freeGiB ?? gpus * gpuGiB, trust ?? TrustedFor(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)), liveness, 1),
            siteId, site);

    public static TenantPolicy Policy(string[]? allowed = null, string[]? zones = null, string[]? denied = null, string[]? tee = null,
        ObjectiveWeights? weights = null, double? budget = null, int maxAgeSeconds = 600) =>
        new(allowed ?? [], zones ?? [], denied ?? [], tee ?? [], maxAgeSeconds, weights ?? ObjectiveWeights.CostOnly, budget);

    public static ModelSpec Model(double gib = 140, int replicas = 1, int minSites = 1, Dictionary<string, double>? tokensPerSecond = null) =>
        new(gib, tokensPerSecond ?? new Dictionary<string, double> { ["H100"] = 3000, ["H200"] = 3800, ["B200"] = 7000, ["L4"] = 300 }, replicas, minSites);

    public static PlacementRequest Request(ModelSpec model, TenantPolicy policy, IReadOnlyList<PlacementCandidate> candidates, params string[] kept) =>
        new(model, policy, candidates, kept, Now, MinFreshness);
}
