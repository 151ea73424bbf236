using System.Text.Json;

namespace FactoryMesh.SiteAgent.Faults;

/// <summary>
/// Reads the fault file: a JSON object from node name (or <c>*</c> for every node) to a list of fault names, e.g.
/// <c>{"*": ["stop-attesting"], "node-002": ["stop-heartbeats", "debug-on"]}</c>. An empty object, or no file, means
/// no faults.
/// </summary>
internal static class FaultFileParser
{
    private static readonly (string Name, NodeFault Fault)[] Known =
    [
        ("stop-heartbeats", NodeFault.StopHeartbeats),
        ("stop-attesting", NodeFault.StopAttesting),
        ("fail-attestation", NodeFault.FailAttestation),
        ("debug-on", NodeFault.DebugOn),
        ("cc-mode-off", NodeFault.CcModeOff),
    ];

    /// <summary>Every fault name the file may use.</summary>
    public static IEnumerable<string> KnownNames => Known.Select(k => k.Name);

    /// <summary>Parses <paramref name="json"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static FaultSet Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return FaultSet.None;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The fault file is not JSON: {exception.Message}", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The fault file must hold a JSON object: node name (or \"*\") → list of faults.");
            }

            var byNode = new Dictionary<string, NodeFault>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"Faults of '{entry.Name}' must be a list, e.g. [\"stop-attesting\"].");
                }

                var faults = NodeFault.None;
                foreach (var item in entry.Value.EnumerateArray())
                {
                    var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    var known = Known.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));
                    if (known.Name is null)
                    {
                        throw new FormatException($"'{item}' is not a fault; known: {string.Join(", ", KnownNames)}.");
                    }

                    faults |= known.Fault;
                }

                byNode[entry.Name] = byNode.GetValueOrDefault(entry.Name) | faults;
            }

            return new FaultSet(byNode);
        }
    }

    /// <summary>The file's names of the faults in <paramref name="faults"/>.</summary>
    public static IEnumerable<string> Names(NodeFault faults) => Known.Where(k => (faults & k.Fault) != 0).Select(k => k.Name);
}
