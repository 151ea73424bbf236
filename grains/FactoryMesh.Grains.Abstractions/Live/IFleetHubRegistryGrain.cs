namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>
/// The bridges of every silo (key <see cref="Key"/>). Each bridge registers itself and renews within
/// <see cref="Lifetime"/>; one that stops renewing (its silo died) drops out.
/// </summary>
[Alias("FactoryMesh.IFleetHubRegistryGrain")]
public interface IFleetHubRegistryGrain : IGrainWithStringKey
{
    /// <summary>The key of the single registry.</summary>
    public const string Key = "hubs";

    /// <summary>How long a registration lasts without renewal.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>Registers or renews the bridge of <paramref name="siloId"/>.</summary>
    [Alias("Register")]
    Task RegisterAsync(string siloId, IFleetObserver bridge);

    /// <summary>Every live bridge.</summary>
    [Alias("GetBridges")]
    Task<IReadOnlyList<IFleetObserver>> GetBridgesAsync();
}
