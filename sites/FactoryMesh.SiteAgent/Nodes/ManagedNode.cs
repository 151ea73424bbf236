using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Telemetry;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Nodes;

/// <summary>
/// One GPU node the agent speaks for: what it registers, where its measurements and evidence come from, and what
/// the agent last learned from the control plane (its epoch, its trust). The loops of registration, heartbeats and
/// attestation share it, so its mutable state is guarded.
/// </summary>
internal sealed class ManagedNode : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IDisposable? _owned;
    private long _epoch;
    private bool _needsRegistration = true;
    private TrustReport? _trust;

    /// <summary>
    /// Creates a node not yet registered, whose TEE opens released keys through <paramref name="teeKey"/> (none: it gets
    /// no keys); <paramref name="owned"/> (a simulated device, say) is disposed with it.
    /// </summary>
    public ManagedNode(string siteId, string name, NodeRegistration registration, INodeTelemetry telemetry, IEvidenceSource evidence, ITeeKey? teeKey, IDisposable? owned = null)
    {
        TeeKey = teeKey;
        SiteId = siteId;
        Name = name;
        Registration = registration;
        Telemetry = telemetry;
        Evidence = evidence;
        _owned = owned;
    }

    /// <summary>The site.</summary>
    public string SiteId { get; }

    /// <summary>The node's name within its site.</summary>
    public string Name { get; }

    /// <summary>The node id, <c>{siteId}/{name}</c>.</summary>
    public string Id => $"{SiteId}/{Name}";

    /// <summary>What the node registers as.</summary>
    public NodeRegistration Registration { get; }

    /// <summary>Its measurements.</summary>
    public INodeTelemetry Telemetry { get; }

    /// <summary>Its evidence.</summary>
    public IEvidenceSource Evidence { get; }

    /// <summary>Its TEE's key, which opens the data keys released to it; null when it has none.</summary>
    public ITeeKey? TeeKey { get; }

    /// <summary>Wakes the node's attestation loop (after a registration found it untrusted, say).</summary>
    public AsyncSignal AttestationWanted { get; } = new();

    /// <summary>The epoch of the current registration; 0 before the first.</summary>
    public long Epoch
    {
        get
        {
            lock (_gate)
            {
                return _epoch;
            }
        }
    }

    /// <summary>True while the node waits to be registered (again); its heartbeats are held back meanwhile.</summary>
    public bool NeedsRegistration
    {
        get
        {
            lock (_gate)
            {
                return _needsRegistration;
            }
        }
    }

    /// <summary>The trust the control plane last reported.</summary>
    public TrustReport? Trust
    {
        get
        {
            lock (_gate)
            {
                return _trust;
            }
        }

        set
        {
            lock (_gate)
            {
                _trust = value;
            }
        }
    }

    /// <summary>Asks for a new registration; false when one is already pending.</summary>
    public bool RequestRegistration()
    {
        lock (_gate)
        {
            if (_needsRegistration)
            {
                return false;
            }

            _needsRegistration = true;
            return true;
        }
    }

    /// <summary>Records a successful registration.</summary>
    public void MarkRegistered(RegisteredNode registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        lock (_gate)
        {
            _epoch = registered.Epoch;
            _needsRegistration = false;
            _trust = registered.Trust ?? _trust;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        AttestationWanted.Dispose();
        _owned?.Dispose();
    }
}
