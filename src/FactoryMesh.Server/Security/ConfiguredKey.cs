namespace FactoryMesh.Server.Security;

/// <summary>A 256-bit key given in configuration as base64 (from an environment variable or a secret store, off the data disk).</summary>
public static class ConfiguredKey
{
    /// <summary>The key under <paramref name="setting"/>, or null when it is not set.</summary>
    /// <exception cref="InvalidOperationException">The setting is not 32 bytes of base64.</exception>
    public static byte[]? Read(IConfiguration configuration, string setting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[setting] is not { Length: > 0 } configured)
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == SigningKeyStore.KeyBytes ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} must be {SigningKeyStore.KeyBytes} random bytes in base64 (e.g. openssl rand -base64 32).");
        }
    }
}
