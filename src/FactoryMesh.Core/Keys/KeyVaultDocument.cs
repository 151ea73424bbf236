namespace FactoryMesh.Core.Keys;

/// <summary>The contents of the vault file: every tenant's KEKs, oldest version first.</summary>
/// <param name="Format">The file's format version (1).</param>
/// <param name="Tenants">KEKs by tenant id.</param>
internal sealed record KeyVaultDocument(int Format, Dictionary<string, List<StoredKek>> Tenants)
{
    /// <summary>The format this code writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>A vault with no tenants yet.</summary>
    public static KeyVaultDocument Empty() => new(CurrentFormat, new Dictionary<string, List<StoredKek>>(StringComparer.Ordinal));
}

/// <summary>One KEK of a tenant.</summary>
/// <param name="Version">Its version, from 1: wrapped keys name it, so older KEKs keep opening their keys after a newer one is added.</param>
/// <param name="Key">The 32 key bytes (base64 in the file).</param>
/// <param name="Created">When it was created.</param>
internal sealed record StoredKek(int Version, byte[] Key, DateTimeOffset Created);
