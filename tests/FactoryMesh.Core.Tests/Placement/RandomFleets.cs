using CsCheck;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Tests.Placement;

/// <summary>
/// Random placement requests: a few sites of different law and energy, nodes of four GPU types in every state of trust and
/// liveness, partly full, and tenants with every kind of restriction, spread and budget. Shrinks toward fewer nodes and the
/// first site, GPU type and state of each list.
/// </summary>
internal static class RandomFleets
{
    private static readonly (string Id, SiteProfile Profile)[] Sites =
    [
        ("eu-fra-1", new SiteProfile("DE", ["EU"], 0.21, 1.25, 380)),
        ("eu-par-1", new SiteProfile("FR", ["EU"], 0.15, 1.3, 60)),
        ("eu-sto-1", new SiteProfile("SE", ["EU", "NORDIC"], 0.06, 1.1, 30)),
        ("us-ore-1", new SiteProfile("US", [], 0.07, 1.15, 120)),
        ("in-mum-1", new SiteProfile("IN", [], 0.10, 1.5, 700)),
    ];

    private static readonly (string Name, double GiB)[] Gpus = [("H100", 80), ("L4", 24), ("H200", 141), ("B200", 180)];

    private static readonly string[] TeeKinds = ["TDX", "SEV-SNP", "SIM"];

    private sealed record NodeShape(int Site, int Gpu, int GpuCount, int Tee, double Watts, double UsdPerHour, double FreeShare, int TrustCase, int LivenessCase);

    private static readonly Gen<NodeShape> Shape = Gen.Select(
        Gen.Int[0, Sites.Length - 1], Gen.Int[0, Gpus.Length - 1], Gen.Int[1, 8], Gen.Int[0, TeeKinds.Length - 1],
        Gen.Double[500, 12_000], Gen.Double[1, 50], Gen.Double[0, 1], Gen.Int[0, 19], Gen.Int[0, 19],
        (site, gpu, count, tee, watts, cost, free, trust, liveness) => new NodeShape(site, gpu, count, tee, watts, cost, free, trust, liveness));

    private static readonly Gen<ModelSpec> Models = Gen.Select(
        Gen.Double[10, 300], Gen.Double[0, 8000].Array[Gpus.Length], Gen.Int[1, 4], Gen.Int[1, 4],
        (gib, rates, replicas, minSites) =>
        {
            // A rate under 1500 stands for "GPU type not supported", so about a fifth of types are missing.
            var table = Gpus.Select((gpu, i) => (gpu.Name, Rate: rates[i])).Where(g => g.Rate >= 1500).ToDictionary(g => g.Name, g => g.Rate);
            if (table.Count == 0)
            {
                table["H100"] = 3000;
            }

            return new ModelSpec(gib, table, replicas, Math.Min(minSites, replicas));
        });

    private static readonly Gen<TenantPolicy> Policies = Gen.Select(
        Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, 3], Gen.Int[0, 3].Array[3], Gen.Int[0, 2], Gen.Double[3, 150], Gen.Int[0, 3],
        (allowed, zones, denied, tee, weights, hasBudget, budget, age) =>
        {
            string[] allowedJurisdictions = allowed switch { 0 => ["DE", "FR", "SE"], 1 => ["US", "IN", "DE"], _ => [] };
            string[] deniedJurisdictions = denied == 0 && !allowedJurisdictions.Contains("IN") ? ["IN"] : denied == 1 && !allowedJurisdictions.Contains("US") ? ["US"] : [];
            var objective = weights.Sum() == 0 ? ObjectiveWeights.CostOnly : new ObjectiveWeights(weights[0], weights[1], weights[2]);
            return new TenantPolicy(allowedJurisdictions, zones == 0 ? ["EU"] : [], deniedJurisdictions,
                tee switch { 0 => ["TDX"], 1 => ["TDX", "SEV-SNP"], _ => [] }, age == 0 ? 60 : 600, objective, hasBudget == 0 ? null : budget);
        });

    /// <summary>Requests over <paramref name="minNodes"/> to <paramref name="maxNodes"/> candidates.</summary>
    public static Gen<PlacementRequest> Requests(int maxNodes, int minNodes = 1) =>
        from shapes in Shape.Array[minNodes, maxNodes]
        from model in Models
        from policy in Policies
        from kept in Gen.Int[0, shapes.Length - 1].Array[0, 2]
        from keptElsewhere in Gen.Int[0, 9]
        select Build(shapes, model, policy, kept, keptElsewhere == 0);

    /// <summary>
    /// The same request with every node trusted, fresh, ready and empty, every GPU type supported, and no restriction on where
    /// or on what TEE: most nodes eligible, so spread and budget, not the per-node constraints, decide.
    /// </summary>
    public static PlacementRequest Healthy(PlacementRequest request) => request with
    {
        Model = request.Model with
        {
            TokensPerSecondByGpu = Gpus.ToDictionary(g => g.Name, g => request.Model.TokensPerSecondByGpu.GetValueOrDefault(g.Name, 2000)),
            GpuMemoryGiB = Math.Min(request.Model.GpuMemoryGiB, 190),
        },
        Candidates = request.Candidates.Select(c => c with
        {
            Node = c.Node with
            {
                Trust = Fleet.TrustedFor(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(20)),
                Liveness = Liveness.Ready,
                FreeGpuMemoryGiB = c.Node.Inventory.TotalGpuMemoryGiB,
            },
        }).ToList(),
        Policy = request.Policy with { AllowedJurisdictions = [], AllowedZones = [], DeniedJurisdictions = [], RequiredTeeKinds = [] },
    };

    private static PlacementRequest Build(NodeShape[] shapes, ModelSpec model, TenantPolicy policy, int[] kept, bool keptElsewhere)
    {
        var candidates = shapes.Select((shape, i) => Candidate(shape, i)).ToList();
        var keptIds = kept.Select(i => candidates[i].Node.NodeId).ToList();
        if (keptElsewhere)
        {
            keptIds.Add("eu-gone-1/n0");
        }

        return new PlacementRequest(model, policy, candidates, keptIds, Fleet.Now, Fleet.MinFreshness);
    }

    private static PlacementCandidate Candidate(NodeShape shape, int index)
    {
        var (siteId, site) = Sites[shape.Site];
        var (gpu, gib) = Gpus[shape.Gpu];
        var total = shape.GpuCount * gib;
        // Most nodes are empty; the rest hold some replicas already, in whole GPUs.
        var free = shape.FreeShare >= 0.4 ? total : Math.Floor(shape.FreeShare / 0.4 * shape.GpuCount) * gib;
        var trust = shape.TrustCase switch
        {
            0 => TrustStatus.NeverAttested,
            1 => new TrustStatus(TrustState.Stale, Fleet.Now.AddHours(-2), Fleet.Now.AddMinutes(-5), "expired"),
            2 => new TrustStatus(TrustState.Untrusted, Fleet.Now.AddMinutes(-3), null, "measurement mismatch"),
            3 => Fleet.TrustedFor(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)),
            4 => Fleet.TrustedFor(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(300)),
            _ => Fleet.TrustedFor(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(20)),
        };
        var liveness = shape.LivenessCase switch { 0 => Liveness.Suspect, 1 => Liveness.NotReady, _ => Liveness.Ready };
        var node = new NodePlacementFacts($"{siteId}/n{index}", new NodeInventory(gpu, shape.GpuCount, gib, TeeKinds[shape.Tee], shape.Watts, shape.UsdPerHour),
            free, trust, liveness, 1);
        return new PlacementCandidate(node, siteId, site);
    }
}
