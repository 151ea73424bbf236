using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Grains.Abstractions.Live;

namespace FactoryMesh.Grains;

/// <summary>
/// A sovereign site and the compact index of its nodes' placement facts, kept current by the node grains.
/// Utilization for the site summary is held in memory only: it is derivable and replaced every few seconds.
/// </summary>
public sealed class SiteGrain : Grain, ISiteGrain
{
    /// <summary>The shortest interval between two summaries caused by utilization alone.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(1);

    private readonly IPersistentState<SiteState> _state;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, UtilizationSample> _utilization = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSummaryAt = DateTimeOffset.MinValue;

    /// <summary>Creates the grain with its durable state and clock.</summary>
    public SiteGrain([PersistentState("site", FleetStorage.Name)] IPersistentState<SiteState> state, TimeProvider clock)
    {
        _state = state;
        _clock = clock;
    }

    private SiteState State => _state.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Wake every known node so each re-evaluates its liveness after a restart and reports back here.
        foreach (var nodeId in State.Nodes.Keys)
        {
            _ = GrainFactory.GetGrain<INodeGrain>(nodeId).ResumeAsync();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<SiteView> UpsertAsync(SiteProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        State.Profile = profile;
        await _state.WriteStateAsync();
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).AddSiteAsync(this.GetPrimaryKeyString());
        return View(profile);
    }

    /// <inheritdoc />
    public Task<SiteView?> GetAsync() => Task.FromResult(State.Profile is { } profile ? View(profile) : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<NodePlacementFacts>> GetNodeFactsAsync() =>
        Task.FromResult<IReadOnlyList<NodePlacementFacts>>(State.Nodes.Values.OrderBy(n => n.NodeId, StringComparer.Ordinal).ToArray());

    /// <inheritdoc />
    public async Task UpdateNodeFactsAsync(NodePlacementFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (State.Nodes.TryGetValue(facts.NodeId, out var known) && known == facts)
        {
            return;
        }

        State.Nodes[facts.NodeId] = facts;
        await _state.WriteStateAsync();
        PublishSummary();
    }

    /// <inheritdoc />
    public Task ReportUtilizationAsync(string nodeId, UtilizationSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (State.Nodes.ContainsKey(nodeId))
        {
            _utilization[nodeId] = sample;
            if (_clock.GetUtcNow() - _lastSummaryAt >= SummaryInterval)
            {
                PublishSummary();
            }
        }

        return Task.CompletedTask;
    }

    // Counts change with facts (sent at once); load changes with every report (sent at most once a second).
    private void PublishSummary()
    {
        if (State.Profile is not { } profile)
        {
            return;
        }

        var view = View(profile);
        _lastSummaryAt = _clock.GetUtcNow();
        _ = GrainFactory.GetGrain<IFleetPublisherGrain>(0).PublishAsync(new SiteSummaryEvent(
            view.SiteId, view.Nodes, view.Trusted, view.Stale, view.Untrusted, view.GpuUtilization, view.PowerWatts, _lastSummaryAt));
    }

    private SiteView View(SiteProfile profile)
    {
        var nodes = State.Nodes.Values;
        var samples = _utilization.Values;
        return new SiteView(
            this.GetPrimaryKeyString(),
            profile,
            nodes.Count,
            nodes.Count(n => n.Liveness == Liveness.Ready),
            nodes.Count(n => n.Trust.State == TrustState.Trusted),
            nodes.Count(n => n.Trust.State == TrustState.Stale),
            nodes.Count(n => n.Trust.State == TrustState.Untrusted),
            samples.Count == 0 ? 0 : samples.Average(s => s.GpuUtilization),
            samples.Sum(s => s.PowerWatts),
            samples.Sum(s => s.TokensPerSecond));
    }
}
