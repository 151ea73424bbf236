namespace FactoryMesh.Server.Security;

/// <summary>The token key ring as <c>token-keys.json</c> (0600) in the data folder: one server owns it, so any write wins.</summary>
public sealed class TokenKeyRingFile(string dataDirectory) : ITokenKeyRingStore
{
    /// <summary>The ring's file name in the data folder.</summary>
    public const string FileName = "token-keys.json";

    private readonly string _path = Path.Combine(dataDirectory, FileName);

    /// <inheritdoc />
    public TokenKeyRingSnapshot Load()
    {
        if (!File.Exists(_path))
        {
            return new TokenKeyRingSnapshot(null, 0);
        }

        SecretFileModes.EnsureOwnerOnly(_path);
        return new TokenKeyRingSnapshot(File.ReadAllText(_path), 1);
    }

    /// <inheritdoc />
    public bool TryStore(string json, long expectedVersion)
    {
        OwnerOnlyFile.WriteAllText(_path, json);
        return true;
    }
}
