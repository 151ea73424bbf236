using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;
using Spectre.Console;

namespace FactoryMesh.Cli.Commands.Top;

/// <summary>
/// <c>fmctl top</c>: the fleet as a live table in the terminal, site by site (<c>GET /api/v1/sites</c> every
/// <c>--interval</c>): nodes, readiness, trust, utilization, power and tokens per second, with the fleet's totals.
/// In a terminal it redraws in place until Ctrl-C; piped, or with <c>--iterations N</c>, it prints N frames and exits.
/// </summary>
internal static class TopCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes [default: 2]", HelpName = "seconds", DefaultValueFactory = _ => 2 };
        interval.Validators.Add(result =>
        {
            if (result.GetValue(interval) is < 0.5 or > 3600)
            {
                result.AddError("--interval must be between 0.5 and 3600 seconds.");
            }
        });
        var iterations = new Option<int?>("--iterations") { Description = "Print this many frames and exit [default: until Ctrl-C; 1 when output is not a terminal]", HelpName = "count" };
        iterations.Validators.Add(result =>
        {
            if (result.GetValue(iterations) is < 1)
            {
                result.AddError("--iterations must be at least 1.");
            }
        });
        var top = new Command("top", "A live fleet table: every site's nodes, trust, utilization, power and tokens/s") { interval, iterations };
        top.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var period = TimeSpan.FromSeconds(parse.GetValue(interval));
            var frames = parse.GetValue(iterations) ?? (Console.IsOutputRedirected || session.Output.Format == OutputFormat.Json ? 1 : (int?)null);
            if (frames is { } count)
            {
                for (var frame = 0; frame < count; frame++)
                {
                    if (frame > 0)
                    {
                        await Task.Delay(period, cancellationToken);
                    }

                    session.Output.Show(await session.Api.GetAsync(ApiPaths.Sites, cancellationToken), new FleetTopView(DateTimeOffset.Now));
                }

                return;
            }

            // A terminal: redraw in place until interrupted (Ctrl-C cancels the token; the exit code says so).
            var console = TerminalConsole.Create();
            var first = await session.Api.GetAsync(ApiPaths.Sites, cancellationToken);
            await console.Live(new FleetTopView(DateTimeOffset.Now).Render(first)).StartAsync(async live =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(period, cancellationToken);
                    live.UpdateTarget(new FleetTopView(DateTimeOffset.Now).Render(await session.Api.GetAsync(ApiPaths.Sites, cancellationToken)));
                }
            });
        });
        return top;
    }
}
