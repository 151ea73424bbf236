using System.Globalization;
using System.Text.Json;
using FactoryMesh.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Commands.Models;

/// <summary>
/// A placement as people read it: a status line, one row per replica with its cost and energy per token, and the
/// nodes left out counted by reason (the full list, with each node's detail, is in <c>--output json</c>).
/// </summary>
internal sealed class PlacementView : ITableView
{
    public static PlacementView Instance { get; } = new();

    private static readonly ListView Replicas = new(
        "No replicas.",
        ListColumn.Text("NODE", r => r.Text("nodeId")),
        ListColumn.Text("SITE", r => r.Text("siteId")),
        EconomicsColumns.CostPerMillionTokens,
        EconomicsColumns.EnergyPerToken,
        EconomicsColumns.CarbonPerToken,
        EconomicsColumns.CostPerHour,
        ListColumn.Numeric("EPOCH", r => r.Text("placementEpoch")));

    public IRenderable Render(JsonElement result)
    {
        var replicas = result.Field("replicas") is { ValueKind: JsonValueKind.Array } array ? array : (JsonElement?)null;
        var lines = new List<IRenderable>
        {
            new Text(string.Create(CultureInfo.InvariantCulture,
                $"{result.Text("status")}: {replicas?.GetArrayLength() ?? 0} replica(s), {result.Number("0.##", "totalCostUsdPerHour")} USD/h, epoch {result.Text("placementEpoch")}, {result.Text("mode")} solve")),
            replicas is { } placed ? Replicas.Render(placed) : new Text("No replicas."),
        };

        if (result.Field("bindingConstraints") is { ValueKind: JsonValueKind.Array } constraints && constraints.GetArrayLength() > 0)
        {
            lines.Add(new Text($"Binding: {JsonFields.Display(constraints).Replace(", ", "; ", StringComparison.Ordinal)}"));
        }

        lines.Add(new Text(Exclusions(result.Field("excluded"))));
        return new Rows(lines);
    }

    // "Excluded 3 node(s): NotTrusted 2, InsufficientMemory 1", largest group first.
    private static string Exclusions(JsonElement? excluded)
    {
        var reasons = excluded is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(e => e.Text("reason")).ToList()
            : [];
        if (reasons.Count == 0)
        {
            return "Excluded: none.";
        }

        var groups = reasons
            .GroupBy(reason => reason.Length == 0 ? "?" : reason, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count())
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key} {group.Count()}"));
        return string.Create(CultureInfo.InvariantCulture, $"Excluded {reasons.Count} node(s): {string.Join(", ", groups)} (details: --output json)");
    }
}
