using System.Threading.Channels;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Watch;

/// <summary>
/// <c>watch --output json</c>: one compact JSON object per line, <c>{"event": "trustChanged", "data": {…}}</c> with
/// the hub's payload untouched. The first line, <c>{"event": "subscribed", …}</c>, tells a script the subscription
/// is in place, so whatever it does next is seen.
/// </summary>
internal sealed class JsonLinesWatchView(WatchTarget target) : IWatchView
{
    public async Task RunAsync(ChannelReader<FleetEventMessage> events, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(events);
        Write(new { Event = "subscribed", Data = new { Target = target.Kind, target.Id } });
        await foreach (var message in events.ReadAllAsync(stop))
        {
            Write(new { Event = message.Name, message.Data });
        }
    }

    // Console.Out flushes every write, so each line reaches a pipe as soon as its event arrives.
    private static void Write(object line) => Console.Out.WriteLine(JsonText.ToLine(JsonText.ToElement(line)));
}
