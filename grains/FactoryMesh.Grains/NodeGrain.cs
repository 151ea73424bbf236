using FactoryMesh.Core.Attestation;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Keys;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Grains;

/// <summary>
/// One GPU node. Inventory, epoch, trust and replicas are durable before the call that changed them returns;
/// liveness transitions are written behind (nobody waits for them, and after a restart every node gets a fresh
/// grace anyway); the latest utilization lives in memory and rides along with the next write, because heartbeats
/// are the hot path and a lost sample is replaced by the next one within seconds. A heartbeat never waits on storage.
/// </summary>
public sealed partial class NodeGrain : Grain, INodeGrain, IRemindable
{
    private readonly IPersistentState<NodeState> _state;
    private readonly OrderedStateWriter<NodeState> _writer;
    private readonly TimeProvider _clock;
    private readonly NodeLifecycleOptions _options;
    private readonly LivenessPolicy _liveness;
    private readonly ILogger<NodeGrain> _logger;
    private readonly PlacementOptions _placementOptions;
    private NodeId _nodeId;
    private string _key = string.Empty;

    // The instant liveness is measured from: the last heartbeat, or the registration or (after a restart) the
    // activation, whichever is later. Kept in memory; the durable LastHeartbeatAt is only as new as the last write.
    private DateTimeOffset _observedSince;
    private bool _unwrittenHeartbeats;
    private IGrainTimer? _livenessTimer;
    private DateTimeOffset? _livenessTimerDue;

    /// <summary>Creates the grain with its durable state, clock, options and the attestation services.</summary>
    public NodeGrain(
        [PersistentState("node", FleetStorage.Nodes)] IPersistentState<NodeState> state,
        TimeProvider clock,
        IOptions<NodeLifecycleOptions> options,
        IOptions<AttestationOptions> attestationOptions,
        IOptions<PlacementOptions> placementOptions,
        Attestor attestor,
        NonceCodec nonces,
        IKeyVault vault,
        ILogger<NodeGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(attestationOptions);
        ArgumentNullException.ThrowIfNull(placementOptions);
        _placementOptions = placementOptions.Value;
        _state = state;
        _writer = new OrderedStateWriter<NodeState>(state, logger);
        _clock = clock;
        _options = options.Value;
        _liveness = _options.Liveness;
        _attestationOptions = attestationOptions.Value;
        _attestor = attestor;
        _nonces = nonces;
        _vault = vault;
        _logger = logger;
    }

    private NodeState State => _state.State;

    private ISiteGrain Site => GrainFactory.GetGrain<ISiteGrain>(_nodeId.SiteId);

    private IFleetPublisherGrain Publisher => GrainFactory.GetGrain<IFleetPublisherGrain>(0);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        _nodeId = NodeId.Parse(_key);
        var now = _clock.GetUtcNow();
        var lastSeen = State.LastHeartbeatAt is { } heartbeat && heartbeat > State.RegisteredAt ? heartbeat : State.RegisteredAt;

        // After the control plane was away (restart, failover) it cannot know whether it missed heartbeats or
        // the node went silent, so, as Kubernetes' node controller does, it gives every node that was not
        // already NotReady a full grace period from now. A NotReady node stays NotReady until it heartbeats.
        _observedSince = State.Liveness == Liveness.NotReady ? lastSeen : Max(lastSeen, now);

        if (State.Inventory is not null)
        {
            await ResumeTrustAsync();
            await ResumeLivenessAsync();
            await ReactToHealthAsync();
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A transition whose timer has not run yet is recorded, so the next activation starts from it. Only our
        // own state is written: other grains may already be gone during shutdown, and activation re-publishes.
        // The last heartbeat and utilization go with it.
        if (State.Inventory is not null && _liveness.Evaluate(_observedSince, _clock.GetUtcNow()) is var current && current != State.Liveness)
        {
            State.Liveness = current;
            _unwrittenHeartbeats = true;
        }

        if (_unwrittenHeartbeats)
        {
            _unwrittenHeartbeats = false;
            _writer.WriteBehind();
        }

        await _writer.DrainAsync();
    }

    /// <inheritdoc />
    public async Task<RegistrationResult> RegisterAsync(NodeInventory inventory, long? expectedEpoch)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (expectedEpoch is { } expected && expected < State.Epoch)
        {
            return new RegistrationResult(RegistrationOutcome.StaleEpoch, View());
        }

        if (await Site.GetAsync() is null)
        {
            return new RegistrationResult(RegistrationOutcome.UnknownSite, View());
        }

        if (State.Inventory is { } previous && previous != inventory
            && (State.Trust.State != TrustState.Unknown || State.Replicas.Count > 0 || State.TeePublicKeyJwk is not null))
        {
            await ForgetAttestationAsync(SystemActor);
        }

        var now = _clock.GetUtcNow();
        State.Inventory = inventory;
        State.Epoch++;
        State.RegisteredAt = now;
        State.Liveness = Liveness.Ready;
        _observedSince = now;
        _unwrittenHeartbeats = false;
        await _writer.WriteAsync();
        await Site.UpdateNodeFactsAsync(Facts());
        ArmLivenessTimer(now);
        LogRegistered(_key, State.Epoch);
        return new RegistrationResult(RegistrationOutcome.Registered, View());
    }

    /// <inheritdoc />
    public async Task<HeartbeatAnswer> HeartbeatAsync(long epoch, UtilizationSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (State.Inventory is not { } inventory)
        {
            return Refused(HeartbeatRefusal.UnknownNode);
        }

        if (epoch != State.Epoch)
        {
            return Refused(epoch < State.Epoch ? HeartbeatRefusal.StaleEpoch : HeartbeatRefusal.FutureEpoch);
        }

        if (sample.GpuMemoryUsedGiB > inventory.TotalGpuMemoryGiB)
        {
            return Refused(HeartbeatRefusal.MemoryExceedsInventory);
        }

        // The caller reports the accepted samples to the site in one call per batch (utilization and its live events).
        var now = _clock.GetUtcNow();
        State.Utilization = sample with { At = now };
        State.LastHeartbeatAt = now;
        _observedSince = now;
        _unwrittenHeartbeats = true;
        if (State.Liveness != Liveness.Ready)
        {
            await PublishLivenessAsync(Liveness.Ready);
        }

        ArmLivenessTimer(now);
        return new HeartbeatAnswer(HeartbeatRefusal.None, State.Trust.State, Assignments());
    }

    private HeartbeatAnswer Refused(HeartbeatRefusal refusal) => new(refusal, State.Trust.State, []);

    private ReplicaAssignment[] Assignments() => State.Replicas
        .Select(r => (Key: r.Key.Split('/'), r.Value.PlacementEpoch))
        .Select(r => new ReplicaAssignment(r.Key[0], r.Key[1], r.PlacementEpoch))
        .ToArray();

    /// <inheritdoc />
    public Task<NodeView?> GetAsync() => Task.FromResult(State.Inventory is null ? null : View());

    /// <inheritdoc />
    public Task ResumeAsync() =>
        // Activation re-evaluates liveness; the facts go to the site again because the site asks after rebuilding its
        // index from stored states, which may lag this grain's memory by a write-behind.
        State.Inventory is null ? Task.CompletedTask : Site.UpdateNodeFactsAsync(Facts());

    private NodeView View() => new(
        _key,
        _nodeId.SiteId,
        State.Inventory!,
        State.Epoch,
        State.RegisteredAt,
        _liveness.Evaluate(_observedSince, _clock.GetUtcNow()),
        State.LastHeartbeatAt,
        State.Utilization,
        State.Trust,
        State.Replicas.Keys.Order(StringComparer.Ordinal).ToArray(),
        State.TeePublicKeyJwk is not null);

    private NodePlacementFacts Facts() => State.Facts(_key)!;

    // On activation: record the liveness as of now. Unchanged facts are not sent: the site holds what was stored
    // (it rebuilt its index from the stored states, or has been told every change since), and a site that wakes
    // this grain asks for them anyway (ResumeAsync).
    private async Task ResumeLivenessAsync()
    {
        var now = _clock.GetUtcNow();
        var current = _liveness.Evaluate(_observedSince, now);
        if (current != State.Liveness)
        {
            LogLivenessChanged(_key, State.Liveness, current);
            State.Liveness = current;
            _writer.WriteBehind();
            await Site.UpdateNodeFactsAsync(Facts());
        }

        ArmLivenessTimer(now);
    }

    // Brings the published liveness in line with the clock and arms the timer for the next transition.
    private async Task RefreshLivenessAsync()
    {
        var now = _clock.GetUtcNow();
        var current = _liveness.Evaluate(_observedSince, now);
        if (current != State.Liveness)
        {
            await PublishLivenessAsync(current);
        }

        ArmLivenessTimer(now);
    }

    // Written behind: the site index is told at once, storage soon, and neither the heartbeat nor the timer waits.
    private async Task PublishLivenessAsync(Liveness liveness)
    {
        LogLivenessChanged(_key, State.Liveness, liveness);
        State.Liveness = liveness;
        _unwrittenHeartbeats = false;
        _writer.WriteBehind();
        await Site.UpdateNodeFactsAsync(Facts());
        await ReactToHealthAsync();
    }

    // One one-shot timer at the next transition. Heartbeats do not re-arm an already armed timer: when it
    // fires early (a heartbeat moved the deadline), the refresh sees no change and arms it again.
    private void ArmLivenessTimer(DateTimeOffset now)
    {
        var next = _liveness.NextTransition(_observedSince, now);
        if (next is null || (_livenessTimer is not null && _livenessTimerDue <= next))
        {
            return;
        }

        _livenessTimer?.Dispose();
        _livenessTimerDue = next;
        _livenessTimer = this.RegisterGrainTimer(
            OnLivenessDeadlineAsync,
            new GrainTimerCreationOptions(Max(next.Value - now, TimeSpan.Zero), Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private Task OnLivenessDeadlineAsync(CancellationToken cancellationToken)
    {
        _livenessTimer?.Dispose();
        _livenessTimer = null;
        _livenessTimerDue = null;
        return RefreshLivenessAsync();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node {NodeId} registered under epoch {Epoch}")]
    private partial void LogRegistered(string nodeId, long epoch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node {NodeId} liveness {Previous} -> {Current}")]
    private partial void LogLivenessChanged(string nodeId, Liveness previous, Liveness current);
}
