using BenchmarkDotNet.Attributes;
using FactoryMesh.Core.Placement;

namespace FactoryMesh.Bench;

/// <summary>
/// Placement throughput under BenchmarkDotNet: one replica of one model, and a 1,000-replica batch, on heterogeneous fleets of
/// 1k, 10k and 50k nodes over six sites. For medians and p99 with the heuristic's gap and the savings, run the
/// <c>placement-report</c> command instead.
/// </summary>
[MemoryDiagnoser]
public class PlacementBenchmarks
{
    private readonly PlacementSolver _solver = new();
    private PlacementRequest _single = null!;
    private PlacementBatchRequest _batch = null!;

    [Params(1_000, 10_000, 50_000)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var fleet = SyntheticFleet.Build(Nodes);
        _single = new PlacementRequest(SyntheticFleet.Models[2], SyntheticFleet.Tenants[0], fleet, [], SyntheticFleet.Now, SyntheticFleet.MinFreshness);
        _batch = new PlacementBatchRequest(fleet, SyntheticFleet.Batch(1_000), SyntheticFleet.Now, SyntheticFleet.MinFreshness);
    }

    [Benchmark(Description = "1 replica")]
    public PlacementDecision OneReplica() => _solver.Solve(_single);

    [Benchmark(Description = "1,000 replicas, one batch")]
    public IReadOnlyList<PlacementDecision> ThousandReplicas() => _solver.SolveBatch(_batch);
}
