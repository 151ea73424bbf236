using System.Globalization;
using System.Text.Json;
using FactoryMesh.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Commands.Models;

/// <summary>
/// A placement explained: the eligible candidates best first with their figures (which a placement from scratch would
/// choose, where the model runs now), the nodes left out counted by reason, and the first of them with the reason in words.
/// </summary>
internal sealed class ExplanationView : ITableView
{
    public static ExplanationView Instance { get; } = new();

    private static readonly ListView Candidates = new(
        "No eligible candidate.",
        ListColumn.Text("NODE", c => c.Text("nodeId")),
        ListColumn.Text("SITE", c => c.Text("siteId")),
        ListColumn.Text("", c => string.Concat(c.Field("chosen") is { ValueKind: JsonValueKind.True } ? "chosen" : "", c.Field("current") is { ValueKind: JsonValueKind.True } ? " now" : "").Trim()),
        ListColumn.Numeric("GPUS", c => c.Text("gpus")),
        EconomicsColumns.CostPerMillionTokens,
        EconomicsColumns.EnergyPerToken,
        EconomicsColumns.CarbonPerToken,
        EconomicsColumns.CostPerHour,
        ListColumn.Numeric("SCORE", c => c.Number("0.###", "objective")));

    private static readonly ListView Excluded = new(
        "No node left out.",
        ListColumn.Text("NODE", e => e.Text("nodeId")),
        ListColumn.Text("REASON", e => e.Text("reason")),
        ListColumn.Text("WHY", e => e.Text("detail")));

    public IRenderable Render(JsonElement result)
    {
        var lines = new List<IRenderable>
        {
            new Text(string.Create(CultureInfo.InvariantCulture,
                $"{result.Text("tenantId")}/{result.Text("modelId")}: {result.Text("eligibleCount")} eligible candidate(s), {result.Text("excludedCount")} left out, {result.Text("mode")} solve; runs now on {Nodes(result.Field("current"))}")),
        };
        if (result.Field("candidates") is { ValueKind: JsonValueKind.Array } candidates)
        {
            lines.Add(Candidates.Render(candidates));
        }

        if (result.Field("bindingConstraints") is { ValueKind: JsonValueKind.Array } binding && binding.GetArrayLength() > 0)
        {
            lines.Add(new Text($"Binding: {JsonFields.Display(binding).Replace(", ", "; ", StringComparison.Ordinal)}"));
        }

        if (result.Field("excludedByReason") is { ValueKind: JsonValueKind.Object } byReason)
        {
            var counts = byReason.EnumerateObject().Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Value.GetInt32()}"));
            lines.Add(new Text($"Left out by reason: {string.Join(", ", counts)}"));
        }

        if (result.Field("excluded") is { ValueKind: JsonValueKind.Array } excluded)
        {
            lines.Add(Excluded.Render(excluded));
        }

        return new Rows(lines);
    }

    private static string Nodes(JsonElement? list) =>
        list is { ValueKind: JsonValueKind.Array } nodes && nodes.GetArrayLength() > 0 ? string.Join(" ", nodes.EnumerateArray().Select(n => n.GetString())) : "nothing";
}
