using System.Globalization;
using FactoryMesh.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Watch;

/// <summary>Draws a <see cref="FleetBoard"/>: a header, the node table with trust badges and countdowns, the last events.</summary>
internal static class FleetBoardRenderer
{
    public static IRenderable Render(WatchTarget target, FleetBoard board, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(board);
        var nodes = new Table().Border(TableBorder.Rounded).Expand();
        nodes.AddColumn("NODE");
        nodes.AddColumn("TRUST");
        nodes.AddColumn(new TableColumn("EXPIRES IN").RightAligned());
        nodes.AddColumn(new TableColumn("GPU").RightAligned());
        nodes.AddColumn(new TableColumn("POWER W").RightAligned());
        nodes.AddColumn(new TableColumn("TOKENS/s").RightAligned());
        nodes.AddColumn("UPDATED");
        foreach (var node in board.Nodes)
        {
            nodes.AddRow(
                new Text(node.NodeId),
                node.Trust is null ? new Text("-") : TrustBadge.For(node.Trust),
                new Text(node.Trust == "Trusted" ? ExpiryCountdown.Format(node.TrustExpiresAt, now) : "-"),
                new Text(Format(node.GpuUtilization * 100, "0' %'")),
                new Text(Format(node.PowerWatts, "0")),
                new Text(Format(node.TokensPerSecond, "0")),
                new Text(node.UpdatedAt?.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"));
        }

        if (board.Nodes.Count == 0)
        {
            nodes.Caption("no node state yet: waiting for events");
        }

        var events = board.RecentEvents.Count == 0
            ? new Text("no trust or replica events yet", new Style(Color.Grey))
            : (IRenderable)new Rows(board.RecentEvents.Reverse().Select(e => new Text(EventLine.Describe(e))));
        return new Rows(
            new Markup($"[bold]watching {Markup.Escape(target.ToString())}[/]  [grey]{Markup.Escape(Summary(board))} Ctrl+C to stop[/]"),
            nodes,
            new Panel(events).Header("last events").Border(BoxBorder.Rounded).Expand());
    }

    private static string Summary(FleetBoard board) => board.SiteSummary is { } s
        ? $"{s.Text("nodes")} nodes, {s.Text("trusted")} trusted, {s.Text("stale")} stale, {s.Text("untrusted")} untrusted, GPU {s.Percent("gpuUtilization")}, {s.Kilowatts("powerWatts")} kW."
        : string.Empty;

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
