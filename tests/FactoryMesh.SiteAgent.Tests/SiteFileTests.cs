using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Simulation;
using FactoryMesh.SiteAgent.Sites;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The example sites as shipped, and the site file's rules.</summary>
public sealed class SiteFileTests
{
    private static IEnumerable<string> ExampleFiles => Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "sites"), "*.json");

    [Fact]
    public void Every_example_site_is_valid_named_after_its_file_and_simulatable()
    {
        var sites = ExampleFiles.Select(path => (Path: path, Site: SiteFile.Load(path))).ToList();

        Assert.True(sites.Count >= 4);
        foreach (var (path, site) in sites)
        {
            Assert.Equal(Path.GetFileNameWithoutExtension(path), site.SiteId);
            Assert.InRange(site.Pue, 1.05, 2.0);
            Assert.InRange(site.ElectricityUsdPerKwh, 0.03, 0.40);
            Assert.InRange(site.CarbonGramsPerKwh, 10, 900);
            Assert.All(site.Fleet, f => Assert.NotNull(GpuModelCatalog.Find(f.GpuModel)));
            Assert.Equal(10, SimulatedFleetPlan.For(site, 10).Count);
        }

        var jurisdictions = sites.Select(s => s.Site.Jurisdiction).ToHashSet();
        Assert.Superset(new HashSet<string> { "DE", "FR", "US", "IN" }, jurisdictions);
        Assert.All(sites.Where(s => s.Site.Jurisdiction is "DE" or "FR"), s => Assert.Contains("EU", s.Site.Zones));
    }

    [Fact]
    public void A_site_file_becomes_the_body_an_operator_puts_to_create_the_site()
    {
        var site = SiteFile.Load(Path.Combine(AppContext.BaseDirectory, "sites", "eu-fra-1.json"));

        var body = site.ToProfileBody();

        Assert.Equal(("DE", 0.21, 1.25, 380.0), (body.Jurisdiction, body.ElectricityUsdPerKwh, body.Pue, body.CarbonGramsPerKwh));
        Assert.Equal(["EU"], body.Zones);
    }

    [Fact]
    public void Every_broken_rule_is_named_at_once()
    {
        var problem = Assert.Throws<InvalidSiteFileException>(() => SiteFile.Parse("""
            {"siteId": "EU_FRA", "jurisdiction": "germany", "zones": ["eu"], "pue": 0.8, "carbonGramsPerKwh": 380,
             "fleet": [{"gpuModel": "H100", "share": 0, "gpusPerNode": 99}]}
            """));

        Assert.Contains(problem.Problems, p => p.StartsWith("siteId", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("jurisdiction", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("zone 'eu'", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("electricityUsdPerKwh", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("pue", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("fleet[0].share", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("fleet[0].gpusPerNode", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("fleet[0].costUsdPerGpuHour", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_field_is_refused_rather_than_ignored()
    {
        var problem = Assert.Throws<InvalidSiteFileException>(() => SiteFile.Parse("""
            {"siteId": "x-1", "jurisdiction": "DE", "electricityUsdPerKwh": 0.2, "pue": 1.2, "carbonGramPerKwh": 300, "fleet": []}
            """));

        Assert.Contains("carbonGramPerKwh", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulated_nodes_split_over_the_mix_by_largest_remainder_and_a_model_the_simulator_lacks_is_refused()
    {
        var site = SiteFile.Parse("""
            {"siteId": "x-1", "jurisdiction": "DE", "electricityUsdPerKwh": 0.2, "pue": 1.2, "carbonGramsPerKwh": 300,
             "fleet": [{"gpuModel": "H100", "share": 0.5, "costUsdPerGpuHour": 2}, {"gpuModel": "B200", "share": 0.3, "gpusPerNode": 4, "costUsdPerGpuHour": 4},
                       {"gpuModel": "H200", "share": 0.2, "costUsdPerGpuHour": 3}]}
            """);

        var plan = SimulatedFleetPlan.For(site, 7);

        Assert.Equal(["node-001", "node-002", "node-003", "node-004", "node-005", "node-006", "node-007"], plan.Select(n => n.Name));
        Assert.Equal(4, plan.Count(n => n.Model == GpuModelCatalog.H100)); // 3.5 → 3, +1 for the largest remainder
        Assert.Equal(2, plan.Count(n => n.Model == GpuModelCatalog.B200)); // 2.1
        Assert.Equal(1, plan.Count(n => n.Model == GpuModelCatalog.H200)); // 1.4
        Assert.Equal(16, plan.Single(n => n.Name == "node-005").CostUsdPerHour); // 4 GPUs × 4 USD
        Assert.Equal(8, plan[0].GpuCount);

        var unknown = site with { Fleet = [new FleetShare("MI300X", 1, 8, 3)] };
        Assert.Throws<InvalidSiteFileException>(() => SimulatedFleetPlan.For(unknown, 2));
    }
}
