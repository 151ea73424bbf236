using System.Security.Cryptography;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>
/// What a TEE does with a released key, given its private key: unwraps the data key, decrypts the artifact with it
/// (authenticated, chunk by chunk), zeroes it, and returns the plaintext's SHA-256. The simulated TEE and the
/// <c>tee-key</c> verb both run it, as a real TEE's program would.
/// </summary>
internal static class TeeArtifactOpener
{
    /// <summary>Opens <paramref name="jwe"/> with <paramref name="teeKey"/> and decrypts <paramref name="ciphertextPath"/> to <paramref name="plaintextPath"/>.</summary>
    public static async Task<string> OpenAsync(ECDsa teeKey, string jwe, string ciphertextPath, string plaintextPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(teeKey);
        byte[] dataKey;
        using (var agreement = ECDiffieHellman.Create(teeKey.ExportParameters(includePrivateParameters: true)))
        {
            try
            {
                dataKey = Jose.JWT.DecodeBytes(jwe, agreement, Jose.JweAlgorithm.ECDH_ES_A256KW, Jose.JweEncryption.A256GCM);
            }
            catch (Jose.JoseException exception)
            {
                throw new CryptographicException($"The released key does not open with this TEE's key: {exception.Message}", exception);
            }
        }

        try
        {
            var input = new FileStream(ciphertextPath, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });
            await using (input.ConfigureAwait(false))
            {
                var output = new FileStream(plaintextPath, OwnerOnly());
                await using (output.ConfigureAwait(false))
                {
                    return await ArtifactCipher.DecryptAsync(input, output, dataKey, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (ArtifactIntegrityException exception)
        {
            throw new CryptographicException($"the artifact does not decrypt: {exception.Message}", exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static FileStreamOptions OwnerOnly()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
