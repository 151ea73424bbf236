namespace FactoryMesh.Core.Keys;

/// <summary>
/// Keeps each tenant's key-encryption key (KEK) and hands out data keys under it, the way cloud KMSs do: a fresh
/// data key comes back once in clear, for encrypting one artifact, and in wrapped form, for storing beside the
/// artifact; later the wrapped form is unwrapped, for that tenant only, when a node needs to decrypt.
/// </summary>
/// <remarks>
/// <see cref="FileKeyVault"/> is the embedded default. A real KMS or HSM plugs in by implementing this interface
/// against its own calls: <see cref="GenerateDataKeyAsync"/> maps to its generate-data-key call (AWS KMS
/// <c>GenerateDataKey</c>, Azure Key Vault <c>wrapKey</c> over a locally generated key, PKCS#11 <c>C_WrapKey</c>) and
/// <see cref="UnwrapAsync"/> to its decrypt/unwrap call, with the tenant id passed as the encryption context
/// (additional authenticated data) so one tenant's wrapped key does not open as another's. The wrapped form is
/// then the KMS's ciphertext blob, base64url; the KEK never leaves the HSM and this process never sees it.
/// </remarks>
public interface IKeyVault
{
    /// <summary>
    /// A fresh random data key of <see cref="ArtifactCipher.DataKeySize"/> bytes for <paramref name="tenantId"/>, with its
    /// wrapped form; the tenant's KEK is created on first use. Dispose the result once the artifact is encrypted.
    /// </summary>
    Task<WrappedDataKey> GenerateDataKeyAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The data key inside <paramref name="wrappedKey"/>, which must have been wrapped for <paramref name="tenantId"/>; zero it after use.</summary>
    /// <exception cref="KeyUnwrapException">The wrapped key is malformed, altered, or was not wrapped for this tenant by this vault.</exception>
    Task<byte[]> UnwrapAsync(string tenantId, string wrappedKey, CancellationToken cancellationToken = default);
}
