using System.Text.Json;

namespace FactoryMesh.Cli.Watch;

/// <summary>One event from the hub as it arrived: the client method it came on and its payload, untouched.</summary>
internal sealed record FleetEventMessage(string Name, JsonElement Data, DateTimeOffset ReceivedAt);
