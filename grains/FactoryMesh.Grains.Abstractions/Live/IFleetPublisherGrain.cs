namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>
/// Where grains publish live events: one activation per silo (a local stateless worker), which batches them
/// for a few milliseconds and fans each batch out to every silo's bridge. Publishing is fire-and-forget.
/// </summary>
[Alias("FactoryMesh.IFleetPublisherGrain")]
public interface IFleetPublisherGrain : IGrainWithIntegerKey
{
    /// <summary>Queues <paramref name="fleetEvent"/> for the next batch.</summary>
    [Alias("Publish"), Orleans.Concurrency.OneWay]
    Task PublishAsync(FleetEvent fleetEvent);

    /// <summary>Queues <paramref name="fleetEvents"/>, in order, for the next batch: one call for a heartbeat batch's utilization.</summary>
    [Alias("PublishMany"), Orleans.Concurrency.OneWay]
    Task PublishManyAsync(IReadOnlyList<FleetEvent> fleetEvents);
}
