using System.Buffers;
using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// One request screened against one fleet: each candidate's verdict (eligible, kept, or the hard constraint it fails) and, for the
/// eligible ones, their economics and objective, packed at the front of parallel arrays. The arrays are rented, because a batch
/// screens the same tens of thousands of nodes once per model; dispose the problem to hand them back.
/// </summary>
internal sealed class PlacementProblem : IDisposable
{
    /// <summary>Verdict of a candidate that passed every hard constraint.</summary>
    public const sbyte Eligible = -1;

    /// <summary>Verdict of a candidate that already hosts a kept replica.</summary>
    public const sbyte Kept = -2;

    /// <summary>Colour of an eligible node whose site a kept replica already covers: it adds nothing to the spread.</summary>
    public const int NoNewSite = -1;

    public PlacementProblem(CandidateFleet fleet, ModelSpec model, TenantPolicy policy)
    {
        Fleet = fleet;
        Model = model;
        Policy = policy;
        Verdict = ArrayPool<sbyte>.Shared.Rent(Math.Max(1, fleet.Count));
        Detail = ArrayPool<string?>.Shared.Rent(Math.Max(1, fleet.Count));
        Node = ArrayPool<int>.Shared.Rent(Math.Max(1, fleet.Count));
        Color = ArrayPool<int>.Shared.Rent(Math.Max(1, fleet.Count));
        Gpus = ArrayPool<int>.Shared.Rent(Math.Max(1, fleet.Count));
        CostUsdPerHour = ArrayPool<double>.Shared.Rent(Math.Max(1, fleet.Count));
        CostUsdPerMTok = ArrayPool<double>.Shared.Rent(Math.Max(1, fleet.Count));
        JoulesPerToken = ArrayPool<double>.Shared.Rent(Math.Max(1, fleet.Count));
        GramsCo2PerToken = ArrayPool<double>.Shared.Rent(Math.Max(1, fleet.Count));
        TokensPerSecond = ArrayPool<double>.Shared.Rent(Math.Max(1, fleet.Count));
        Objective = ArrayPool<double>.Shared.Rent(Math.Max(1, fleet.Count));
        // A rented array holds what its last user left; only the verdicts are read before they are written.
        Verdict.AsSpan(0, fleet.Count).Clear();
    }

    public CandidateFleet Fleet { get; }

    public ModelSpec Model { get; }

    public TenantPolicy Policy { get; }

    /// <summary>Per candidate: <see cref="Eligible"/>, <see cref="Kept"/>, or the <see cref="ExclusionReason"/> it fails.</summary>
    public sbyte[] Verdict { get; }

    /// <summary>Per candidate failing a hard constraint: the reason in words.</summary>
    public string?[] Detail { get; }

    /// <summary>How many candidates failed each hard constraint, by <see cref="ExclusionReason"/>.</summary>
    public int[] ExcludedBy { get; } = new int[Enum.GetValues<ExclusionReason>().Length];

    /// <summary>Number of eligible candidates: the length of the per-eligible arrays that follow.</summary>
    public int EligibleCount { get; set; }

    /// <summary>Per eligible: its candidate index, in candidate order.</summary>
    public int[] Node { get; }

    /// <summary>Per eligible: its site number when the site is not yet covered by a kept replica, else <see cref="NoNewSite"/>.</summary>
    public int[] Color { get; }

    public int[] Gpus { get; }

    public double[] CostUsdPerHour { get; }

    public double[] CostUsdPerMTok { get; }

    public double[] JoulesPerToken { get; }

    public double[] GramsCo2PerToken { get; }

    public double[] TokensPerSecond { get; }

    /// <summary>Per eligible: the normalized, tenant-weighted objective; lower is better.</summary>
    public double[] Objective { get; }

    /// <summary>Number of distinct kept replicas.</summary>
    public int KeptCount { get; set; }

    /// <summary>Number of distinct sites the kept replicas stand in.</summary>
    public int KeptSiteCount { get; set; }

    /// <summary>What the kept replicas cost, USD per hour.</summary>
    public double KeptCostUsdPerHour { get; set; }

    /// <summary>Colours run from 0 to this, exclusive: the fleet's site count.</summary>
    public int ColorCount => Fleet.SiteIds.Count;

    /// <summary>Number of distinct colours among eligible candidates: the most new sites a placement can add.</summary>
    public int AvailableColorCount { get; set; }

    /// <summary>The candidate id of the eligible node at <paramref name="eligible"/>.</summary>
    public string NodeIdOf(int eligible) => Fleet.NodeIds[Node[eligible]];

    public void Dispose()
    {
        ArrayPool<sbyte>.Shared.Return(Verdict);
        ArrayPool<string?>.Shared.Return(Detail, clearArray: true);
        ArrayPool<int>.Shared.Return(Node);
        ArrayPool<int>.Shared.Return(Color);
        ArrayPool<int>.Shared.Return(Gpus);
        ArrayPool<double>.Shared.Return(CostUsdPerHour);
        ArrayPool<double>.Shared.Return(CostUsdPerMTok);
        ArrayPool<double>.Shared.Return(JoulesPerToken);
        ArrayPool<double>.Shared.Return(GramsCo2PerToken);
        ArrayPool<double>.Shared.Return(TokensPerSecond);
        ArrayPool<double>.Shared.Return(Objective);
    }
}
