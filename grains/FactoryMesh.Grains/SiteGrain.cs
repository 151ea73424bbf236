using System.Diagnostics;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.Grains;

/// <summary>
/// A sovereign site and the index of its nodes' placement facts. Only the profile is stored; the index lives in
/// memory, costs O(1) per node change, and is rebuilt on activation from one scan of the site's stored node
/// states, after which every node is woken to bring its facts up to date. Summaries are coalesced: the first change
/// after a quiet period is published at once, and any further ones within <see cref="SummaryWindow"/> share one
/// summary at its end, so a thousand nodes changing at once cost one event, not a thousand.
/// </summary>
public sealed class SiteGrain : Grain, ISiteGrain
{
    /// <summary>The shortest wall-clock interval between two summaries of one site.</summary>
    public static readonly TimeSpan SummaryWindow = TimeSpan.FromMilliseconds(250);

    private readonly IPersistentState<SiteState> _state;
    private readonly IGrainStatePartitions _nodeStates;
    private readonly TimeProvider _clock;
    private readonly SiteNodeIndex _index = new();
    private long _lastSummaryTimestamp;
    private bool _summaryPending;

    /// <summary>Creates the grain with its durable state, the node states' partition reader and the clock.</summary>
    public SiteGrain(
        [PersistentState("site", FleetStorage.Name)] IPersistentState<SiteState> state,
        [FromKeyedServices(FleetStorage.Nodes)] IGrainStatePartitions nodeStates,
        TimeProvider clock)
    {
        _state = state;
        _nodeStates = nodeStates;
        _clock = clock;
    }

    private SiteState State => _state.State;

    private string SiteId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Profile is null)
        {
            return; // a site that does not exist has no nodes: registration needs the site first
        }

        // The stored states give the index at once; waking every node then corrects what changed since they were
        // written (liveness after a restart, a write-behind still in flight when the site last went away).
        foreach (var (nodeId, node) in await _nodeStates.ReadPartitionAsync<NodeState>(SiteId, cancellationToken))
        {
            if (node.Facts(nodeId) is { } facts)
            {
                _index.Upsert(facts);
            }
        }

        foreach (var nodeId in _index.NodeIds)
        {
            _ = GrainFactory.GetGrain<INodeGrain>(nodeId).ResumeAsync();
        }
    }

    /// <inheritdoc />
    public async Task<SiteView> UpsertAsync(SiteProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        State.Profile = profile;
        await _state.WriteStateAsync();
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).AddSiteAsync(SiteId);
        return View(profile);
    }

    /// <inheritdoc />
    public Task<SiteView?> GetAsync() => Task.FromResult(State.Profile is { } profile ? View(profile) : null);

    /// <inheritdoc />
    public Task<bool> HasNodeAsync(string nodeId) => Task.FromResult(_index.Contains(nodeId));

    /// <inheritdoc />
    public Task<bool[]> KnownNodesAsync(IReadOnlyList<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        return Task.FromResult(nodeIds.Select(_index.Contains).ToArray());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodePlacementFacts>> GetNodeFactsAsync() =>
        Task.FromResult<IReadOnlyList<NodePlacementFacts>>(_index.Facts.OrderBy(n => n.NodeId, StringComparer.Ordinal).ToArray());

    /// <inheritdoc />
    public Task UpdateNodeFactsAsync(NodePlacementFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (_index.Upsert(facts))
        {
            RequestSummary();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReportUtilizationAsync(IReadOnlyList<NodeUtilization> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var events = new List<FleetEvent>(samples.Count);
        foreach (var (nodeId, sample) in samples)
        {
            if (_index.Report(nodeId, sample))
            {
                events.Add(new UtilizationEvent(nodeId, SiteId, sample.GpuUtilization, sample.PowerWatts, sample.TokensPerSecond, sample.At));
            }
        }

        if (events.Count > 0)
        {
            _ = GrainFactory.GetGrain<IFleetPublisherGrain>(0).PublishManyAsync(events);
            RequestSummary();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeUtilization>> GetNodeUtilizationAsync() =>
        Task.FromResult<IReadOnlyList<NodeUtilization>>([.. _index.LatestUtilization.Select(pair => new NodeUtilization(pair.Key, pair.Value))]);

    // Leading edge at once, then at most one trailing summary per window. The window is wall-clock time (Task.Delay),
    // not the grains' clock, which tests may hold still.
    private void RequestSummary()
    {
        if (_summaryPending)
        {
            return;
        }

        var sinceLast = Stopwatch.GetElapsedTime(_lastSummaryTimestamp);
        if (_lastSummaryTimestamp == 0 || sinceLast >= SummaryWindow)
        {
            PublishSummary();
            return;
        }

        _summaryPending = true;
        _ = PublishSummaryAfterAsync(SummaryWindow - sinceLast);
    }

    private async Task PublishSummaryAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay);
        _summaryPending = false;
        PublishSummary();
    }

    private void PublishSummary()
    {
        if (State.Profile is not { } profile)
        {
            return;
        }

        var view = View(profile);
        _lastSummaryTimestamp = Stopwatch.GetTimestamp();
        _ = GrainFactory.GetGrain<IFleetPublisherGrain>(0).PublishAsync(new SiteSummaryEvent(
            view.SiteId, view.Nodes, view.Ready, view.Trusted, view.Stale, view.Untrusted, view.GpuUtilization, view.PowerWatts, view.TokensPerSecond, _clock.GetUtcNow()));
    }

    private SiteView View(SiteProfile profile) => new(
        SiteId,
        profile,
        _index.Count,
        _index.Ready,
        _index.Trusted,
        _index.Stale,
        _index.Untrusted,
        _index.MeanGpuUtilization,
        _index.PowerWatts,
        _index.TokensPerSecond);
}
