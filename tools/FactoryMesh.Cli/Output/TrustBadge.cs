using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Output;

/// <summary>A node's trust state as a coloured badge, the same in every table and in <c>watch</c>.</summary>
internal static class TrustBadge
{
    public static IRenderable For(string? state)
    {
        var colour = state switch
        {
            "Trusted" => "black on green",
            "Stale" => "black on yellow",
            "Untrusted" => "white on red",
            _ => "black on grey",
        };
        return new Markup($"[{colour}] {Markup.Escape(state ?? "?")} [/]");
    }
}
