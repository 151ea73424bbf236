namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>A silo's live-update bridge: receives batches of events to send to its SignalR clients.</summary>
[Alias("FactoryMesh.IFleetObserver")]
public interface IFleetObserver : IGrainObserver
{
    /// <summary>
    /// Takes a batch into the bridge's bounded queue and returns at once: the publisher awaits it so batches arrive
    /// in order, and no grain ever waits for a dashboard (grains publish one-way to the publisher).
    /// </summary>
    [Alias("OnEvents")]
    Task OnEventsAsync(IReadOnlyList<FleetEvent> events);
}
