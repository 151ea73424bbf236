namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>
/// Something a dashboard shows live. Grains publish these; each silo's hub bridge sends them to the SignalR
/// groups of the site, node, tenant or model they concern.
/// </summary>
/// <param name="SiteId">The site it happened at.</param>
/// <param name="At">When it happened.</param>
[GenerateSerializer, Immutable]
public abstract record FleetEvent(
    [property: Id(0)] string SiteId,
    [property: Id(1)] DateTimeOffset At);
