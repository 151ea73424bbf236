using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Audit;

/// <summary>Audit records as a table.</summary>
internal static class AuditViews
{
    public static ListView List { get; } = new(
        "No audit records.",
        ListColumn.Numeric("SEQ", r => r.Text("sequence")),
        ListColumn.Text("AT", r => r.TimeText("entry", "at")),
        ListColumn.Text("KIND", r => r.Text("entry", "kind")),
        ListColumn.Text("NODE", r => r.Text("entry", "nodeId")),
        ListColumn.Text("ACTOR", r => r.Text("entry", "actor")),
        ListColumn.Text("VERDICT", r => r.Text("entry", "verdict")),
        ListColumn.Text("STATE", r => r.Field("entry", "newState") is null ? string.Empty : $"{r.Text("entry", "previousState")} -> {r.Text("entry", "newState")}"),
        ListColumn.Text("REASON", r => r.Text("entry", "reason")));
}
