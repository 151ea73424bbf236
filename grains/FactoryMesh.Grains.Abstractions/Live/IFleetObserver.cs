namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>A silo's live-update bridge: receives batches of events to send to its SignalR clients.</summary>
[Alias("FactoryMesh.IFleetObserver")]
public interface IFleetObserver : IGrainObserver
{
    /// <summary>Takes a batch, in publication order; fire-and-forget so that no grain ever waits for a dashboard.</summary>
    [Alias("OnEvents"), Orleans.Concurrency.OneWay]
    Task OnEventsAsync(IReadOnlyList<FleetEvent> events);
}
