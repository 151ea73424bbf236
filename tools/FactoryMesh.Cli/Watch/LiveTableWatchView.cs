using System.Threading.Channels;
using FactoryMesh.Cli.Output;
using Spectre.Console;

namespace FactoryMesh.Cli.Watch;

/// <summary>
/// <c>watch</c> for people: a Spectre.Console live display of the <see cref="FleetBoard"/>, redrawn on every batch of
/// events and once a second besides, so trust expiry countdowns move even when nothing happens.
/// </summary>
internal sealed class LiveTableWatchView(WatchTarget target, FleetBoard board) : IWatchView
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(ChannelReader<FleetEventMessage> events, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(events);
        var console = TerminalConsole.Create();
        await console.Live(FleetBoardRenderer.Render(target, board, DateTimeOffset.UtcNow))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                while (await NextBatchAsync(events, stop))
                {
                    context.UpdateTarget(FleetBoardRenderer.Render(target, board, DateTimeOffset.UtcNow));
                }
            });
    }

    // Applies whatever arrived within the redraw interval; false once the watch is over (stopped or disconnected),
    // so the live display ends normally and leaves its last frame on screen.
    private async Task<bool> NextBatchAsync(ChannelReader<FleetEventMessage> events, CancellationToken stop)
    {
        using var redraw = CancellationTokenSource.CreateLinkedTokenSource(stop);
        redraw.CancelAfter(RedrawInterval);
        try
        {
            if (!await events.WaitToReadAsync(redraw.Token))
            {
                return false;
            }
        }
        catch (OperationCanceledException)
        {
            return !stop.IsCancellationRequested;
        }

        while (events.TryRead(out var message))
        {
            board.Apply(message);
        }

        return true;
    }
}
