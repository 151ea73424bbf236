namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>
/// The bridges of every silo (key <see cref="Key"/>), in memory only. Each bridge registers itself and renews every
/// <see cref="RenewInterval"/>, so when the registry's silo leaves and it starts afresh elsewhere the list is whole
/// again within that interval; a bridge that stops renewing (its silo died) drops out after <see cref="Lifetime"/>.
/// </summary>
[Alias("FactoryMesh.IFleetHubRegistryGrain")]
public interface IFleetHubRegistryGrain : IGrainWithStringKey
{
    /// <summary>The key of the single registry.</summary>
    public const string Key = "hubs";

    /// <summary>How often each bridge renews its registration: the longest a restarted registry misses a bridge.</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a registration lasts without renewal.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Registers or renews the bridge of <paramref name="siloId"/>.</summary>
    [Alias("Register")]
    Task RegisterAsync(string siloId, IFleetObserver bridge);

    /// <summary>Every live bridge.</summary>
    [Alias("GetBridges")]
    Task<IReadOnlyList<IFleetObserver>> GetBridgesAsync();
}
