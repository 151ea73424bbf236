using System.Text.Json;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Nodes;

/// <summary>Nodes as tables.</summary>
internal static class NodeViews
{
    /// <summary>What a batch registration did to each node.</summary>
    public static ListView Registrations { get; } = new(
        "No nodes in the file.",
        ListColumn.Text("NODE", n => n.Text("nodeId")),
        ListColumn.Text("REGISTERED", n => n.Field("registered") is { ValueKind: JsonValueKind.True } ? "yes" : $"no: {n.Text("reason")}"),
        ListColumn.Numeric("EPOCH", n => n.Text("epoch")),
        ListColumn.Text("TRUST", n => n.Text("trust", "state")));

    public static ListView List { get; } = new(
        "No nodes registered at this site.",
        ListColumn.Text("NODE", n => n.Text("nodeId")),
        ListColumn.Text("GPUS", n => $"{n.Text("inventory", "gpuCount")}x {n.Text("inventory", "gpuModel")} {n.Number("0", "inventory", "gpuMemoryGiB")} GiB"),
        ListColumn.Text("TEE", n => n.Text("inventory", "teeKind")),
        ListColumn.Text("LIVENESS", n => n.Text("liveness")),
        new ListColumn("TRUST", n => TrustBadge.For(n.Text("trust", "state"))),
        ListColumn.Text("TRUST EXPIRES", n => n.TimeText("trust", "expiresAt")),
        ListColumn.Numeric("GPU", n => n.Percent("utilization", "gpuUtilization")),
        ListColumn.Numeric("POWER kW", n => n.Kilowatts("utilization", "powerWatts")),
        ListColumn.Numeric("TOKENS/s", n => n.Number("0", "utilization", "tokensPerSecond")),
        ListColumn.Numeric("REPLICAS", n => n.Field("replicas") is { } replicas ? replicas.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture) : "0"),
        ListColumn.Numeric("EPOCH", n => n.Text("epoch")));
}
