using System.Threading.Channels;

namespace FactoryMesh.Cli.Watch;

/// <summary>
/// <c>watch</c> in table mode when standard output is not a terminal (<c>| tee watch.log</c>): a live display
/// cannot redraw in a file, so each trust and replica event becomes one readable line as it arrives.
/// Utilization and summaries, which come every few seconds, are left to the live table and to <c>--output json</c>.
/// </summary>
internal sealed class EventLogWatchView(WatchTarget target) : IWatchView
{
    public async Task RunAsync(ChannelReader<FleetEventMessage> events, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(events);
        await Console.Out.WriteLineAsync($"watching {target}");
        await foreach (var message in events.ReadAllAsync(stop))
        {
            if (message.Name is not (FleetEventNames.Utilization or FleetEventNames.SiteSummary))
            {
                await Console.Out.WriteLineAsync(EventLine.Describe(message));
            }
        }
    }
}
