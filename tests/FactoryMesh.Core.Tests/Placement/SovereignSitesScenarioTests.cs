using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Core.Tests.Placement;

/// <summary>
/// Three jurisdictions of sites, EU (Germany, France), the US and India, each with an H100, a B200 and an L4 node, and a 140 GiB
/// model: two H100s, one B200 or six L4s per replica.
/// </summary>
public sealed class SovereignSitesScenarioTests
{
    private static readonly SiteProfile Frankfurt = Fleet.Site("DE", ["EU"], 0.20, 1.25, 380);
    private static readonly SiteProfile Paris = Fleet.Site("FR", ["EU"], 0.15, 1.30, 60);
    private static readonly SiteProfile Oregon = Fleet.Site("US", [], 0.07, 1.15, 120);
    private static readonly SiteProfile Mumbai = Fleet.Site("IN", [], 0.10, 1.50, 700);

    private static readonly List<PlacementCandidate> Candidates =
    [
        .. Nodes("eu-fra-1", Frankfurt),
        .. Nodes("eu-par-1", Paris),
        .. Nodes("us-ore-1", Oregon),
        .. Nodes("in-mum-1", Mumbai),
    ];

    private static IEnumerable<PlacementCandidate> Nodes(string siteId, SiteProfile site) =>
    [
        Fleet.Node(siteId, site, "h100", "H100", 8, 80, watts: 10_200, usdPerHour: 24),
        Fleet.Node(siteId, site, "b200", "B200", 8, 180, watts: 14_300, usdPerHour: 45),
        Fleet.Node(siteId, site, "l4", "L4", 8, 24, watts: 1_200, usdPerHour: 5),
    ];

    [Fact]
    public void An_EU_only_tenant_gets_replicas_only_in_Germany_and_France()
    {
        var decision = new PlacementSolver().Solve(Fleet.Request(Fleet.Model(replicas: 3, minSites: 2), Fleet.Policy(zones: ["EU"]), Candidates));

        Assert.True(decision.Feasible);
        Assert.Equal(3, decision.Replicas.Count);
        Assert.All(decision.Replicas, replica => Assert.Contains(replica.SiteId, new[] { "eu-fra-1", "eu-par-1" }));
        Assert.Equal(2, decision.Replicas.Select(r => r.SiteId).Distinct().Count());
        var outside = decision.Excluded.Where(e => e.NodeId.StartsWith("us-", StringComparison.Ordinal) || e.NodeId.StartsWith("in-", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, outside.Count);
        Assert.All(outside, e => Assert.Equal(ExclusionReason.Sovereignty, e.Reason));
    }

    [Fact]
    public void A_tenant_weighting_only_energy_gets_the_nodes_with_the_fewest_joules_per_token()
    {
        var request = Fleet.Request(Fleet.Model(replicas: 2), Fleet.Policy(weights: new ObjectiveWeights(0, 1, 0)), Candidates);

        var decision = new PlacementSolver().Solve(request);

        // J/token = share × W × PUE / tokens/s: a B200 (1 of 8 GPUs, 14.3 kW, 7000 tokens/s) beats an H100 pair (0.85 × PUE)
        // and six L4s (3 × PUE); between sites the lower PUE wins: Oregon (1.15), then Frankfurt (1.25).
        Assert.Equal(["us-ore-1/b200", "eu-fra-1/b200"], decision.Replicas.Select(r => r.NodeId));
        Assert.Equal(0.125 * 14_300 * 1.15 / 7000, decision.Replicas[0].JoulesPerToken, 1e-12);
        var lowest = PlacementSolver.Rank(request).Select(c => c.Economics.JoulesPerToken).Order().Take(2);
        Assert.Equal(lowest, decision.Replicas.Select(r => r.JoulesPerToken));
    }

    [Fact]
    public void Replica_economics_match_the_hand_computation()
    {
        // Frankfurt H100 node, 140 GiB model: 2 of 8 GPUs, a quarter of the node.
        // cost/h   = 0.25 × (24 + 10.2 kW × 1.25 × 0.20 USD/kWh) = 0.25 × 26.55 = 6.6375 USD/h
        // USD/MTok = 6.6375 / (3000 tokens/s × 3600 s) × 10⁶ = 0.614583…
        // J/token  = 0.25 × 10 200 W × 1.25 / 3000 = 1.0625 J
        // g/token  = 1.0625 / 3.6 × 10⁶ × 380 = 1.12153… × 10⁻⁴ g
        var decision = new PlacementSolver().Solve(Fleet.Request(
            Fleet.Model(tokensPerSecond: new Dictionary<string, double> { ["H100"] = 3000 }), Fleet.Policy(allowed: ["DE"]), Candidates));

        var replica = Assert.Single(decision.Replicas);
        Assert.Equal("eu-fra-1/h100", replica.NodeId);
        Assert.Equal(6.6375, replica.CostUsdPerHour, 1e-12);
        Assert.Equal(6.6375 / 10.8, replica.CostUsdPerMTok, 1e-12);
        Assert.Equal(1.0625, replica.JoulesPerToken, 1e-12);
        Assert.Equal(1.0625 / 3.6e6 * 380, replica.GramsCo2PerToken, 1e-18);
        Assert.Equal(6.6375, decision.TotalCostUsdPerHour, 1e-12);
        Assert.Equal(1.0, decision.Objective, 1e-12);
        Assert.Contains(decision.Excluded, e => e is { NodeId: "eu-fra-1/b200", Reason: ExclusionReason.UnsupportedGpuModel });
    }

    [Fact]
    public void Cost_per_token_not_cost_per_hour_decides_for_a_cost_minded_tenant()
    {
        var request = Fleet.Request(Fleet.Model(), Fleet.Policy(allowed: ["DE"]), Candidates);

        var decision = new PlacementSolver().Solve(request);

        // Per hour the B200 replica (1/8 × (45 + 14.3 × 1.25 × 0.2)) = 6.071875 USD/h is the cheapest, and per token it is far
        // ahead: 6.071875 / (7000 × 3600) × 10⁶ = 0.24095 USD/MTok against the H100 pair's 0.61458.
        Assert.Equal("eu-fra-1/b200", Assert.Single(decision.Replicas).NodeId);
        Assert.Equal(0.125 * (45 + 14.3 * 1.25 * 0.2) / (7000 * 3600.0) * 1e6, decision.Replicas[0].CostUsdPerMTok, 1e-12);
        Assert.Contains(decision.Excluded, e => e is { NodeId: "eu-fra-1/l4", Reason: ExclusionReason.Outranked });
    }
}
