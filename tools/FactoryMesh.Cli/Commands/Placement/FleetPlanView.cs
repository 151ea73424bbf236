using System.Globalization;
using System.Text.Json;
using FactoryMesh.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Commands.Placement;

/// <summary>
/// A joint plan as people read it: whether it was applied and how good it is proven, one row per model with its replicas,
/// cost and energy per token and what moves, and the models the fleet could not fully serve with why.
/// </summary>
internal sealed class FleetPlanView : ITableView
{
    public static FleetPlanView Instance { get; } = new();

    private static readonly ListView Models = new(
        "No models in scope.",
        ListColumn.Text("MODEL", m => m.Text("key")),
        ListColumn.Numeric("REPLICAS", m => Count(m, "replicas")),
        EconomicsColumns.CostPerMillionTokens,
        EconomicsColumns.EnergyPerToken,
        EconomicsColumns.CarbonPerToken,
        EconomicsColumns.CostPerHour,
        ListColumn.Text("ADDED", m => Nodes(m, "added")),
        ListColumn.Text("REMOVED", m => Nodes(m, "removed")));

    public IRenderable Render(JsonElement result)
    {
        var plan = result.Field("plan") ?? result;
        var applied = result.Field("applied") is { ValueKind: JsonValueKind.True };
        var lines = new List<IRenderable>
        {
            new Text(string.Create(CultureInfo.InvariantCulture,
                $"{(applied ? "Applied" : "Dry run")}: {plan.Text("status")} plan, proven gap {plan.Number("0.00%", "gap")}, objective {plan.Number("0.###", "objective")} " +
                $"(now {plan.Number("0.###", "currentObjective")}, placed one model at a time {plan.Number("0.###", "sequentialObjective")}), " +
                $"{plan.Text("moves")} move(s) + {plan.Text("forcedMoves")} forced")),
        };
        if (applied)
        {
            lines.Add(new Text(string.Create(CultureInfo.InvariantCulture,
                $"{result.Text("added")} replica(s) added, {result.Text("removed")} removed, {result.Text("refused")} refused by their node since the plan")));
        }

        var models = plan.Field("models") is { ValueKind: JsonValueKind.Array } array ? array : default;
        lines.Add(models.ValueKind == JsonValueKind.Array ? Models.Render(models) : new Text("No models in scope."));
        if (models.ValueKind == JsonValueKind.Array)
        {
            foreach (var model in models.EnumerateArray().Where(m => m.Field("feasible") is { ValueKind: JsonValueKind.False }))
            {
                var why = model.Field("shortfall") is { ValueKind: JsonValueKind.Array } shortfall ? JsonFields.Display(shortfall).Replace(", ", "; ", StringComparison.Ordinal) : "";
                lines.Add(new Text($"{model.Text("key")} is short: {why}"));
            }
        }

        return new Rows(lines);
    }

    private static string Count(JsonElement model, string field) =>
        model.Field(field) is { ValueKind: JsonValueKind.Array } list ? list.GetArrayLength().ToString(CultureInfo.InvariantCulture) : "0";

    private static string Nodes(JsonElement model, string field) =>
        model.Field(field) is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0 ? string.Join(" ", list.EnumerateArray().Select(n => n.GetString())) : "-";
}
