using System.Text.Json;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Watch;

/// <summary>
/// What the live table shows: the latest state per node (seeded from the API where the token may read it, then
/// kept current by events), the site's latest summary, and the last few trust and replica events.
/// </summary>
internal sealed class FleetBoard
{
    /// <summary>How many recent events the board keeps.</summary>
    public const int RecentEventCount = 10;

    private readonly SortedDictionary<string, NodeLiveState> _nodes = new(StringComparer.Ordinal);
    private readonly Queue<FleetEventMessage> _recent = new();

    public IReadOnlyCollection<NodeLiveState> Nodes => _nodes.Values;

    /// <summary>Oldest first.</summary>
    public IReadOnlyCollection<FleetEventMessage> RecentEvents => _recent;

    /// <summary>The latest <c>siteSummary</c> payload, when watching a site.</summary>
    public JsonElement? SiteSummary { get; private set; }

    /// <summary>Adds a node as the API shows it (a NodeView: trust, latest utilization).</summary>
    public void Seed(JsonElement node)
    {
        var nodeId = node.Text("nodeId");
        if (nodeId.Length == 0)
        {
            return;
        }

        _nodes[nodeId] = new NodeLiveState(
            nodeId,
            node.Text("trust", "state"),
            node.Time("trust", "expiresAt"),
            Double(node, "utilization", "gpuUtilization"),
            Double(node, "utilization", "powerWatts"),
            Double(node, "utilization", "tokensPerSecond"),
            node.Time("utilization", "at"));
    }

    public void Apply(FleetEventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message.Name)
        {
            case FleetEventNames.TrustChanged:
                Update(message.Data.Text("nodeId"), node => node with
                {
                    Trust = message.Data.Text("state"),
                    TrustExpiresAt = message.Data.Time("expiresAt"),
                    UpdatedAt = message.Data.Time("at"),
                });
                Remember(message);
                break;
            case FleetEventNames.Utilization:
                foreach (var sample in message.Data.ValueKind == JsonValueKind.Array ? message.Data.EnumerateArray() : Enumerable.Repeat(message.Data, 1))
                {
                    Update(sample.Text("nodeId"), node => node with
                    {
                        GpuUtilization = Double(sample, "gpuUtilization"),
                        PowerWatts = Double(sample, "powerWatts"),
                        TokensPerSecond = Double(sample, "tokensPerSecond"),
                        UpdatedAt = sample.Time("at"),
                    });
                }

                break;
            case FleetEventNames.SiteSummary:
                SiteSummary = message.Data;
                break;
            default:
                Remember(message);
                break;
        }
    }

    private void Update(string nodeId, Func<NodeLiveState, NodeLiveState> change)
    {
        if (nodeId.Length == 0)
        {
            return;
        }

        _nodes[nodeId] = change(_nodes.TryGetValue(nodeId, out var known) ? known : new NodeLiveState(nodeId));
    }

    private void Remember(FleetEventMessage message)
    {
        _recent.Enqueue(message);
        while (_recent.Count > RecentEventCount)
        {
            _recent.Dequeue();
        }
    }

    private static double? Double(JsonElement element, params string[] path) =>
        element.Field(path) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;
}
