using System.Globalization;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Watch;

/// <summary>An event as one line of the watch board's "last events" list.</summary>
internal static class EventLine
{
    public static string Describe(FleetEventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = message.Data;
        var at = (data.Time("at") ?? message.ReceivedAt).UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var what = message.Name switch
        {
            FleetEventNames.TrustChanged =>
                $"{data.Text("nodeId")} trust {data.Text("previousState")} -> {data.Text("state")}: {data.Text("reason")}",
            FleetEventNames.ReplicaPlaced =>
                $"{data.Text("tenantId")}/{data.Text("modelId")} placed on {data.Text("nodeId")}: {data.Text("reason")}",
            FleetEventNames.ReplicaEvicted =>
                $"{data.Text("tenantId")}/{data.Text("modelId")} evicted from {data.Text("nodeId")}: {data.Text("reason")}",
            FleetEventNames.SiteSummary =>
                $"{data.Text("siteId")}: {data.Text("trusted")} of {data.Text("nodes")} nodes trusted, {data.Text("stale")} stale, {data.Text("untrusted")} untrusted",
            FleetEventNames.Utilization =>
                $"utilization of {(data.ValueKind == System.Text.Json.JsonValueKind.Array ? data.GetArrayLength() : 1)} node(s)",
            _ => message.Name,
        };
        return $"{at} {what}";
    }
}
