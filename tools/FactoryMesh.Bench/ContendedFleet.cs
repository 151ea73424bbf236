using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Bench;

/// <summary>
/// A busy factory for the joint-placement measurements: the sites of <see cref="SyntheticFleet"/>, 8-GPU nodes of six types,
/// most of them already running other work (70 % full, 20 % half full), so the few free GPUs of the best nodes are
/// contended by many models at once.
/// <para>
/// Throughput of an 8-GPU system on Llama-2-70B (offline, tokens/s), rounded, from MLCommons MLPerf Inference results as
/// published by the vendors: H100-SXM about 24,000 and H200 about 31,000 (v4.0), MI300X about 23,500 (v4.1), B200 about 11,000
/// per GPU (v4.1, one GPU, so about 88,000 for eight). A100-80GB and L4 had no Llama-2-70B result: about 8,000 and 1,500 are
/// estimates scaled from the H100/A100 and L4 ratios vendors quote for LLM inference. A replica's throughput is its share of
/// the system's (its GPUs over 8), scaled by 70 / billions of parameters; small models (8B) are taken to gain only half of a big
/// GPU's advantage over an H100, as decoding a small model is bound by batch and memory bandwidth more than by compute. Prices
/// (USD per GPU-hour: L4 0.8, A100 1.3, MI300X 2.2, H100 2.5, H200 3.5, B200 5.5) are of the order of 2025 GPU-cloud list
/// prices, and power (kW per node: L4 1.3, A100 6.5, MI300X 9.5, H100 10.2, H200 10.2, B200 14.3) of the order of the
/// vendors' system specifications: illustrative, not quotes.
/// </para>
/// </summary>
internal static class ContendedFleet
{
    private sealed record NodeType(string Gpu, double GiB, double Watts, double UsdPerGpuHour, double SystemTokensPerSecond70B, double Share);

    private static readonly NodeType[] Types =
    [
        new("L4", 24, 1_300, 0.8, 1_500, 0.15),
        new("A100", 80, 6_500, 1.3, 8_000, 0.27),
        new("H100", 80, 10_200, 2.5, 24_000, 0.33),
        new("H200", 141, 10_200, 3.5, 31_000, 0.12),
        new("MI300X", 192, 9_500, 2.2, 23_500, 0.08),
        new("B200", 180, 14_300, 5.5, 88_000, 0.05),
    ];

    private static readonly (double Billions, double GiB, double Share)[] ModelSizes =
    [
        (8, 18, 0.40),      // an 8B model in FP16 with room for its KV cache
        (70, 154, 0.45),    // a 70B model in FP16
        (405, 445, 0.15),   // a 405B model in FP8
    ];

    /// <summary>A fleet of <paramref name="nodes"/> busy nodes spread round the sites.</summary>
    public static List<PlacementCandidate> Build(int nodes, int seed)
    {
        var random = new Random(seed);
        var candidates = new List<PlacementCandidate>(nodes);
        for (var site = 0; site < SyntheticFleet.Sites.Length; site++)
        {
            var (siteId, profile) = SyntheticFleet.Sites[site];
            var count = nodes / SyntheticFleet.Sites.Length + (site < nodes % SyntheticFleet.Sites.Length ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                candidates.Add(new PlacementCandidate(Node(random, $"{siteId}/node-{i:00000}"), siteId, profile));
            }
        }

        return candidates;
    }

    /// <summary>
    /// <paramref name="models"/> models of <paramref name="replicasEach"/> replicas (spread over two sites) for the four tenants of
    /// <see cref="SyntheticFleet.Tenants"/>, optionally all on cost only.
    /// </summary>
    public static List<JointPlacementItem> Models(int models, int replicasEach, int seed, bool costOnly)
    {
        var random = new Random(seed);
        var items = new List<JointPlacementItem>(models);
        for (var m = 0; m < models; m++)
        {
            var size = Pick(random, ModelSizes, s => s.Share);
            var tenant = SyntheticFleet.Tenants[random.Next(SyntheticFleet.Tenants.Length)];
            var throughput = new Dictionary<string, double>();
            foreach (var type in Types)
            {
                var gpus = TokenEconomics.GpusPerReplica(size.GiB, type.GiB);
                if (gpus > 8)
                {
                    continue;
                }

                var perGpu = type.SystemTokensPerSecond70B / 8;
                if (size.Billions < 20)
                {
                    var h100PerGpu = 24_000.0 / 8;
                    perGpu = h100PerGpu + ((perGpu - h100PerGpu) / 2);
                }

                throughput[type.Gpu] = Math.Round(perGpu * gpus * 70 / size.Billions);
            }

            items.Add(new JointPlacementItem($"tenant-{Array.IndexOf(SyntheticFleet.Tenants, tenant)}/model-{m:000}",
                new ModelSpec(size.GiB, throughput, replicasEach, Math.Min(2, replicasEach)),
                costOnly ? tenant with { Weights = ObjectiveWeights.CostOnly } : tenant, []));
        }

        return items;
    }

    private static NodePlacementFacts Node(Random random, string nodeId)
    {
        var type = Pick(random, Types, t => t.Share);
        const int gpus = 8;
        var tee = random.NextDouble() switch { < 0.5 => "TDX", < 0.9 => "SEV-SNP", _ => "SIM" };
        var usedGpus = random.NextDouble() switch { < 0.7 => 8, < 0.9 => 4, _ => 0 };
        var trust = random.NextDouble() < 0.02
            ? new TrustStatus(TrustState.Stale, SyntheticFleet.Now.AddHours(-1), SyntheticFleet.Now.AddMinutes(-5), "expired")
            : new TrustStatus(TrustState.Trusted, SyntheticFleet.Now.AddSeconds(-random.Next(0, 300)), SyntheticFleet.Now.AddSeconds(300 + random.Next(0, 300)), "attested");
        var inventory = new NodeInventory(type.Gpu, gpus, type.GiB, tee, type.Watts * (0.95 + 0.1 * random.NextDouble()),
            type.UsdPerGpuHour * gpus * (0.9 + 0.2 * random.NextDouble()));
        return new NodePlacementFacts(nodeId, inventory, (gpus - usedGpus) * type.GiB, trust, Liveness.Ready, 1);
    }

    private static T Pick<T>(Random random, T[] options, Func<T, double> share)
    {
        var roll = random.NextDouble() * options.Sum(share);
        foreach (var option in options)
        {
            roll -= share(option);
            if (roll < 0)
            {
                return option;
            }
        }

        return options[^1];
    }
}
