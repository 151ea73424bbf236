namespace FactoryMesh.Server.Security;

/// <summary>Where <see cref="TokenSigningKeys"/> keeps its rotated keys: the data folder's file, or the cluster's database.</summary>
public interface ITokenKeyRingStore
{
    /// <summary>The ring as last written (null before the first rotation) with the version a write must start from.</summary>
    TokenKeyRingSnapshot Load();

    /// <summary>Writes <paramref name="json"/> if the ring is still at <paramref name="expectedVersion"/>; false when another silo rotated first.</summary>
    bool TryStore(string json, long expectedVersion);
}

/// <summary>The stored ring: its JSON (keys in clear, so only ever held by a sealed or owner-only store) and its version.</summary>
public sealed record TokenKeyRingSnapshot(string? Json, long Version);
