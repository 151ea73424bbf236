namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// Releases a model's data key into an attested node (a stateless worker, any key). The key is released only to a
/// node that is Trusted now, holds a replica of the model under the model's current placement epoch (the fencing
/// token: a superseded assignment can never fetch it, however late its request), and presents the TEE key its
/// attestation bound; it leaves wrapped to that key. Every release and refusal is audited.
/// </summary>
[Alias("FactoryMesh.IKeyBrokerGrain")]
public interface IKeyBrokerGrain : IGrainWithIntegerKey
{
    /// <summary>Judges and, when allowed, performs one release.</summary>
    [Alias("Release")]
    Task<KeyReleaseResult> ReleaseAsync(string nodeId, string tenantId, string modelId, string presentedTeeKeyJwk, long placementEpoch, string actor);
}
