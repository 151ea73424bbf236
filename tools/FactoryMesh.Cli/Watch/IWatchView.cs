using System.Threading.Channels;

namespace FactoryMesh.Cli.Watch;

/// <summary>How a watch shows its events: a live table for people, JSON lines for scripts.</summary>
internal interface IWatchView
{
    /// <summary>Shows events until the channel completes or <paramref name="stop"/> fires (Ctrl+C, <c>--duration</c>).</summary>
    Task RunAsync(ChannelReader<FleetEventMessage> events, CancellationToken stop);
}
