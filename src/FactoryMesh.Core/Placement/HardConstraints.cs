using System.Globalization;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// The per-node hard constraints, checked in <see cref="ExclusionReason"/> order: sovereignty, TEE kind, trust, freshness,
/// liveness, capacity, GPU model. What depends only on the site, the TEE kind or the GPU model is decided once per distinct
/// value, so the per-node loop is a handful of array reads; eligible nodes get their economics on the way.
/// </summary>
internal static class HardConstraints
{
    private static readonly string[] TrustDetails =
        Enum.GetValues<TrustState>().Select(state => $"trust is {state}, not Trusted").ToArray();

    private static readonly string[] LivenessDetails =
        Enum.GetValues<Liveness>().Select(liveness => $"liveness is {liveness}, not Ready").ToArray();

    /// <summary>Screens every candidate of <paramref name="fleet"/> for one model; the caller disposes the result.</summary>
    public static PlacementProblem Screen(CandidateFleet fleet, ModelSpec model, TenantPolicy policy, IReadOnlyList<string> keptNodeIds,
        DateTimeOffset now, TimeSpan minRemainingFreshness)
    {
        var problem = new PlacementProblem(fleet, model, policy);
        var keptSite = MarkKept(problem, keptNodeIds);

        var siteRefusal = new string?[fleet.SiteIds.Count];
        for (var site = 0; site < siteRefusal.Length; site++)
        {
            siteRefusal[site] = SovereigntyRefusal(fleet.SiteIds[site], fleet.Sites[site], policy) is { } refusal ? fleet.Intern(refusal) : null;
        }

        var teeRefusal = new string?[fleet.TeeKinds.Count];
        for (var tee = 0; tee < teeRefusal.Length; tee++)
        {
            teeRefusal[tee] = policy.RequiredTeeKinds.Count == 0 || policy.RequiredTeeKinds.Contains(fleet.TeeKinds[tee], StringComparer.Ordinal)
                ? null
                : fleet.Intern($"TEE kind {fleet.TeeKinds[tee]} is not among the required {string.Join(", ", policy.RequiredTeeKinds)}");
        }

        var tokensPerSecond = new double[fleet.GpuModels.Count];
        var gpuRefusal = new string?[fleet.GpuModels.Count];
        for (var gpu = 0; gpu < tokensPerSecond.Length; gpu++)
        {
            if (model.TokensPerSecondByGpu.TryGetValue(fleet.GpuModels[gpu], out var rate) && rate > 0 && double.IsFinite(rate))
            {
                tokensPerSecond[gpu] = rate;
            }
            else
            {
                gpuRefusal[gpu] = fleet.Intern($"the model states no tokens per second for {fleet.GpuModels[gpu]}");
            }
        }

        var nowTicks = now.UtcTicks;
        // Saturate rather than wrap: an absurdly long freshness demand must exclude everything, not nothing.
        var mustLastUntil = minRemainingFreshness.Ticks > long.MaxValue - nowTicks ? long.MaxValue : nowTicks + minRemainingFreshness.Ticks;
        var oldestAccepted = nowTicks - (long)policy.MaxAttestationAgeSeconds * TimeSpan.TicksPerSecond;
        var verdict = problem.Verdict;
        var eligible = 0;
        var colorSeen = new bool[fleet.SiteIds.Count];
        var availableColors = 0;
        for (var i = 0; i < fleet.Count; i++)
        {
            if (verdict[i] == PlacementProblem.Kept)
            {
                continue;
            }

            var site = fleet.SiteOf[i];
            string? detail;
            ExclusionReason reason;
            if ((detail = siteRefusal[site]) is not null)
            {
                reason = ExclusionReason.Sovereignty;
            }
            else if ((detail = teeRefusal[fleet.TeeKindOf[i]]) is not null)
            {
                reason = ExclusionReason.TeeKind;
            }
            else if (fleet.Trust[i] != TrustState.Trusted)
            {
                (reason, detail) = (ExclusionReason.NotTrusted, TrustDetails[(int)fleet.Trust[i]]);
            }
            else if (fleet.ExpiresAtUtcTicks[i] < mustLastUntil)
            {
                (reason, detail) = (ExclusionReason.FreshnessTooShort, ExpiryDetail(fleet, fleet.ExpiresAtUtcTicks[i], nowTicks, minRemainingFreshness));
            }
            else if (fleet.VerifiedAtUtcTicks[i] < oldestAccepted)
            {
                (reason, detail) = (ExclusionReason.FreshnessTooShort, AgeDetail(fleet, fleet.VerifiedAtUtcTicks[i], nowTicks, policy.MaxAttestationAgeSeconds));
            }
            else if (fleet.Liveness[i] != Liveness.Ready)
            {
                (reason, detail) = (ExclusionReason.NotReady, LivenessDetails[(int)fleet.Liveness[i]]);
            }
            else
            {
                var gpus = TokenEconomics.GpusPerReplica(model.GpuMemoryGiB, fleet.GpuMemoryGiB[i]);
                if (gpus > fleet.GpuCount[i])
                {
                    (reason, detail) = (ExclusionReason.Capacity, GpuShortageDetail(fleet, gpus, fleet.GpuMemoryGiB[i], fleet.GpuCount[i]));
                }
                else if (fleet.FreeGpuMemoryGiB[i] < model.GpuMemoryGiB)
                {
                    (reason, detail) = (ExclusionReason.Capacity, MemoryShortageDetail(fleet, fleet.FreeGpuMemoryGiB[i], model.GpuMemoryGiB));
                }
                else if ((detail = gpuRefusal[fleet.GpuModelOf[i]]) is not null)
                {
                    reason = ExclusionReason.UnsupportedGpuModel;
                }
                else
                {
                    var color = keptSite[site] ? PlacementProblem.NoNewSite : site;
                    if (color >= 0 && !colorSeen[color])
                    {
                        colorSeen[color] = true;
                        availableColors++;
                    }

                    verdict[i] = PlacementProblem.Eligible;
                    AddEligible(problem, eligible++, i, gpus, color, tokensPerSecond[fleet.GpuModelOf[i]]);
                    continue;
                }
            }

            verdict[i] = (sbyte)reason;
            problem.Detail[i] = detail;
            problem.ExcludedBy[(int)reason]++;
        }

        problem.EligibleCount = eligible;
        problem.AvailableColorCount = availableColors;
        return problem;
    }

    private static void AddEligible(PlacementProblem problem, int at, int node, int gpus, int color, double tokensPerSecond)
    {
        var fleet = problem.Fleet;
        var economics = TokenEconomics.Evaluate(gpus, fleet.GpuCount[node], fleet.NodeCostUsdPerHour[node], fleet.PowerWatts[node],
            fleet.Sites[fleet.SiteOf[node]], tokensPerSecond);
        problem.Node[at] = node;
        problem.Color[at] = color;
        problem.Gpus[at] = gpus;
        problem.TokensPerSecond[at] = tokensPerSecond;
        problem.CostUsdPerHour[at] = economics.CostUsdPerHour;
        problem.CostUsdPerMTok[at] = economics.CostUsdPerMillionTokens;
        problem.JoulesPerToken[at] = economics.JoulesPerToken;
        problem.GramsCo2PerToken[at] = economics.GramsCo2PerToken;
    }

    /// <summary>
    /// Marks kept nodes and totals their count, sites and cost; returns, per site number, whether a kept replica covers it. A kept
    /// node that is not a candidate still counts, its site read from its id; its cost is unknown and counts as zero.
    /// </summary>
    private static bool[] MarkKept(PlacementProblem problem, IReadOnlyList<string> keptNodeIds)
    {
        var fleet = problem.Fleet;
        var keptSite = new bool[fleet.SiteIds.Count];
        if (keptNodeIds.Count == 0)
        {
            return keptSite;
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var sitesElsewhere = new HashSet<string>(StringComparer.Ordinal);
        var cost = 0.0;
        foreach (var nodeId in keptNodeIds)
        {
            if (!distinct.Add(nodeId))
            {
                continue;
            }

            if (fleet.TryFindNode(nodeId, out var node))
            {
                problem.Verdict[node] = PlacementProblem.Kept;
                keptSite[fleet.SiteOf[node]] = true;
                cost += KeptCostUsdPerHour(problem, node);
            }
            else if (NodeId.TryParse(nodeId, out var parsed))
            {
                if (fleet.TryFindSite(parsed.SiteId, out var site))
                {
                    keptSite[site] = true;
                }
                else
                {
                    sitesElsewhere.Add(parsed.SiteId);
                }
            }
        }

        problem.KeptCount = distinct.Count;
        problem.KeptSiteCount = keptSite.Count(covered => covered) + sitesElsewhere.Count;
        problem.KeptCostUsdPerHour = cost;
        return keptSite;
    }

    // A kept replica costs what it would cost to place it there now, as TokenEconomics.TryEvaluate has it; if the node no
    // longer fits the model's economics (its GPU model dropped from the table, the model outgrew the node), there is no figure
    // to charge, and it counts as zero.
    private static double KeptCostUsdPerHour(PlacementProblem problem, int node)
    {
        var fleet = problem.Fleet;
        if (!problem.Model.TokensPerSecondByGpu.TryGetValue(fleet.GpuModels[fleet.GpuModelOf[node]], out var rate) || !(rate > 0))
        {
            return 0;
        }

        var gpus = TokenEconomics.GpusPerReplica(problem.Model.GpuMemoryGiB, fleet.GpuMemoryGiB[node]);
        if (gpus > fleet.GpuCount[node])
        {
            return 0;
        }

        return TokenEconomics.Evaluate(gpus, fleet.GpuCount[node], fleet.NodeCostUsdPerHour[node], fleet.PowerWatts[node],
            fleet.Sites[fleet.SiteOf[node]], rate).CostUsdPerHour;
    }

    // The tenant's own rule (the scheduler applies it to whole sites before gathering candidates), naming the site.
    private static string? SovereigntyRefusal(string siteId, SiteProfile site, TenantPolicy policy) =>
        policy.SovereigntyRefusal(site) is { } refusal ? $"site {siteId}: {refusal}" : null;

    // Per-node details, made once per distinct set of figures for the whole fleet (see CandidateFleet.Detail).
    private const int GpuShortage = 0;
    private const int MemoryShortage = 1;
    private const int TrustEndsSoon = 2;
    private const int AttestationTooOld = 3;

    private static string GpuShortageDetail(CandidateFleet fleet, int gpus, double gpuGiB, int gpuCount) =>
        fleet.Detail(GpuShortage, gpus, gpuGiB, gpuCount, static (needed, gib, count) => string.Create(CultureInfo.InvariantCulture,
            $"a replica needs {needed} GPUs of {gib:0.##} GiB; the node has {count}"));

    private static string MemoryShortageDetail(CandidateFleet fleet, double freeGiB, double neededGiB) =>
        fleet.Detail(MemoryShortage, freeGiB, neededGiB, 0, static (free, needed, _) => string.Create(CultureInfo.InvariantCulture,
            $"{free:0.##} GiB of GPU memory free; a replica needs {needed:0.##} GiB"));

    private static string ExpiryDetail(CandidateFleet fleet, long expiresAtTicks, long nowTicks, TimeSpan minRemainingFreshness) =>
        expiresAtTicks == CandidateFleet.NoTime
            ? "trusted without an expiry on record, so its remaining freshness is unknown"
            : fleet.Detail(TrustEndsSoon, Math.Round((expiresAtTicks - nowTicks) / (double)TimeSpan.TicksPerSecond), minRemainingFreshness.TotalSeconds, 0,
                static (left, needed, _) => string.Create(CultureInfo.InvariantCulture, $"trust ends in {left:0} s; placement needs at least {needed:0} s"));

    private static string AgeDetail(CandidateFleet fleet, long verifiedAtTicks, long nowTicks, int maxAgeSeconds) =>
        verifiedAtTicks == CandidateFleet.NoTime
            ? "trusted without a verification time on record, so its attestation age is unknown"
            : fleet.Detail(AttestationTooOld, Math.Round((nowTicks - verifiedAtTicks) / (double)TimeSpan.TicksPerSecond), maxAgeSeconds, 0,
                static (age, max, _) => string.Create(CultureInfo.InvariantCulture, $"attested {age:0} s ago; the tenant accepts at most {max:0} s"));
}
