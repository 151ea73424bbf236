using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Bench;

/// <summary>
/// A heterogeneous fleet for placement measurements: six sovereign sites of different law, power price, PUE and carbon, and six
/// node types from cheap, slow L4 boxes to B200s, with per-node price and power spread (contracts and generations differ), some
/// nodes partly full, some not trusted, stale, or silent. Seeded, so every run measures the same fleet. The throughput and
/// price figures are illustrative orders of magnitude, not vendor benchmarks.
/// </summary>
internal static class SyntheticFleet
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan MinFreshness = TimeSpan.FromSeconds(60);

    public static readonly (string Id, SiteProfile Profile)[] Sites =
    [
        ("eu-fra-1", new SiteProfile("DE", ["EU"], 0.21, 1.25, 380)),
        ("eu-par-1", new SiteProfile("FR", ["EU"], 0.15, 1.30, 60)),
        ("eu-sto-1", new SiteProfile("SE", ["EU", "NORDIC"], 0.06, 1.10, 30)),
        ("us-ore-1", new SiteProfile("US", [], 0.07, 1.15, 120)),
        ("us-vir-1", new SiteProfile("US", [], 0.09, 1.35, 380)),
        ("in-mum-1", new SiteProfile("IN", [], 0.10, 1.50, 700)),
    ];

    private static readonly (string Gpu, double GiB, double Watts, double UsdPerHour)[] NodeTypes =
    [
        ("L4", 24, 1_300, 6),
        ("A100", 80, 6_500, 14),
        ("H100", 80, 10_200, 24),
        ("H200", 141, 10_200, 30),
        ("B200", 180, 14_300, 42),
        ("MI300X", 192, 10_000, 26),
    ];

    /// <summary>Four models of different size; tokens per second per replica on each GPU type.</summary>
    public static readonly ModelSpec[] Models =
    [
        Model(16, new() { ["L4"] = 900, ["A100"] = 2_600, ["H100"] = 4_200, ["H200"] = 4_600, ["B200"] = 8_000, ["MI300X"] = 4_000 }),
        Model(94, new() { ["L4"] = 500, ["A100"] = 1_600, ["H100"] = 3_000, ["H200"] = 3_300, ["B200"] = 6_000, ["MI300X"] = 3_000 }),
        Model(140, new() { ["L4"] = 300, ["A100"] = 1_400, ["H100"] = 2_800, ["H200"] = 3_600, ["B200"] = 6_500, ["MI300X"] = 3_400 }),
        Model(420, new() { ["A100"] = 500, ["H100"] = 1_100, ["H200"] = 1_500, ["B200"] = 2_600, ["MI300X"] = 1_400 }),
    ];

    /// <summary>Tenants: EU-only and confidential, anything but India on cost, US-only on energy, unrestricted and balanced.</summary>
    public static readonly TenantPolicy[] Tenants =
    [
        new([], ["EU"], [], ["TDX", "SEV-SNP"], 600, new ObjectiveWeights(1, 0.5, 0.5), null),
        new([], [], ["IN"], [], 600, ObjectiveWeights.CostOnly, null),
        new(["US"], [], [], [], 600, new ObjectiveWeights(0.3, 1, 0), null),
        new([], [], [], [], 600, new ObjectiveWeights(1, 1, 1), null),
    ];

    /// <summary>
    /// A bulk deployment of <paramref name="totalReplicas"/> replicas: models of 1 to 4 replicas (two or more spread over two
    /// sites), of every size, for every tenant, in a seeded order.
    /// </summary>
    public static List<PlacementBatchItem> Batch(int totalReplicas, Func<TenantPolicy, TenantPolicy>? adjustTenant = null, int seed = 11)
    {
        var random = new Random(seed);
        var items = new List<PlacementBatchItem>();
        for (var placed = 0; placed < totalReplicas;)
        {
            var replicas = Math.Min(random.Next(1, 5), totalReplicas - placed);
            var model = Models[random.Next(Models.Length)] with { Replicas = replicas, MinSites = Math.Min(2, replicas) };
            var tenant = Tenants[random.Next(Tenants.Length)];
            items.Add(new PlacementBatchItem(model, adjustTenant?.Invoke(tenant) ?? tenant, []));
            placed += replicas;
        }

        return items;
    }

    /// <summary>A fleet of <paramref name="nodes"/> nodes spread round the sites.</summary>
    public static List<PlacementCandidate> Build(int nodes, int seed = 7)
    {
        var random = new Random(seed);
        var candidates = new List<PlacementCandidate>(nodes);
        // Grouped by site, as a scheduler gathers them from one Site grain after another.
        for (var site = 0; site < Sites.Length; site++)
        {
            var (siteId, profile) = Sites[site];
            var count = nodes / Sites.Length + (site < nodes % Sites.Length ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                candidates.Add(new PlacementCandidate(Node(random, $"{siteId}/node-{i:00000}"), siteId, profile));
            }
        }

        return candidates;
    }

    private static NodePlacementFacts Node(Random random, string nodeId)
    {
        var (gpu, gib, watts, usdPerHour) = NodeTypes[random.Next(NodeTypes.Length)];
        const int gpus = 8;
        var tee = random.NextDouble() switch { < 0.5 => "TDX", < 0.9 => "SEV-SNP", _ => "SIM" };
        var usedGpus = random.NextDouble() < 0.6 ? 0 : random.Next(0, gpus);
        var trust = random.NextDouble() switch
        {
            < 0.02 => new TrustStatus(TrustState.Stale, Now.AddHours(-1), Now.AddMinutes(-5), "expired"),
            < 0.03 => new TrustStatus(TrustState.Untrusted, Now.AddMinutes(-3), null, "measurement mismatch"),
            < 0.04 => new TrustStatus(TrustState.Trusted, Now.AddSeconds(-580), Now.AddSeconds(20), "attested"),
            _ => new TrustStatus(TrustState.Trusted, Now.AddSeconds(-random.Next(0, 300)), Now.AddSeconds(300 + random.Next(0, 300)), "attested"),
        };
        var liveness = random.NextDouble() < 0.02 ? Liveness.Suspect : Liveness.Ready;
        var inventory = new NodeInventory(gpu, gpus, gib, tee, watts * (0.95 + 0.1 * random.NextDouble()), usdPerHour * (0.9 + 0.2 * random.NextDouble()));
        return new NodePlacementFacts(nodeId, inventory, (gpus - usedGpus) * gib, trust, liveness, 1);
    }

    private static ModelSpec Model(double gib, Dictionary<string, double> tokensPerSecond) => new(gib, tokensPerSecond, 1, 1);
}
