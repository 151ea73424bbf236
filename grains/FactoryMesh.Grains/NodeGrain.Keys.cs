using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Core.Keys;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// Key release, decided and wrapped in one turn of the node grain: the node's trust, attested TEE key and reservation are
/// read, judged by <see cref="KeyReleasePolicy"/> and used to wrap the data key before any other call can change them.
/// The data key is unwrapped from the tenant's KEK only after a positive judgement and zeroed once wrapped.
/// </summary>
public sealed partial class NodeGrain
{
    private readonly IKeyVault _vault;

    /// <inheritdoc />
    public async Task<NodeKeyRelease?> ReleaseKeyAsync(KeyReleaseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (State.Inventory is not { } inventory)
        {
            return null;
        }

        var reservation = State.Replicas.GetValueOrDefault(context.ReplicaKey);
        var (refusal, detail, wrapTo) = KeyReleasePolicy.Judge(new KeyReleaseFacts(
            _key, context.ReplicaKey, _clock.GetUtcNow(), State.Trust, inventory.TeeKind, State.TeePublicKeyJwk,
            reservation?.PlacementEpoch, context.ModelReplicaEpoch, context.RequestedEpoch, context.PresentedTeeKeyJwk, context.Policy, context.Site));
        if (refusal != KeyRefusal.None)
        {
            return new NodeKeyRelease(refusal, detail, null);
        }

        byte[] dataKey;
        try
        {
            // The model's wrapped key travels with the request; it is opened here, inside the turn: no other call to this
            // grain runs before the wrap (the grain is not reentrant), so trust, key and reservation are as judged.
            dataKey = await _vault.UnwrapAsync(context.TenantId, context.ArtifactWrappedKey);
        }
        catch (KeyUnwrapException)
        {
            return new NodeKeyRelease(KeyRefusal.KeyUnavailable, $"the wrapped data key of {context.ReplicaKey} cannot be unwrapped for tenant {context.TenantId}", null);
        }

        try
        {
            return new NodeKeyRelease(KeyRefusal.None, detail, wrapTo!.Wrap(dataKey));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
