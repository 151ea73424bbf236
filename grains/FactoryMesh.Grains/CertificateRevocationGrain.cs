using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// Revoked device certificates. It keeps no record of which node used which certificate (a fleet-wide map rewritten on
/// every first use would cost O(fleet) per attestation): a device certificate's one node is its pin, and anything
/// else is checked by every node against its own current certificates.
/// </summary>
public sealed class CertificateRevocationGrain(
    [PersistentState("certificates", FleetStorage.Name)] IPersistentState<CertificateRevocationState> state,
    TimeProvider clock) : Grain, ICertificateRevocationGrain
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RevokeAsync(string certificate, string reason, string actor)
    {
        var key = certificate.ToUpperInvariant();
        state.State.Revoked[key] = reason;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(
            new AuditEntry(clock.GetUtcNow(), AuditKinds.CertificateRevocation, null, actor, "revoked", $"certificate {key}: {reason}"));

        var pinned = await GrainFactory.GetGrain<IDevicePinGrain>(key).GetOwnerAsync();
        var candidates = pinned is not null ? [pinned] : await EveryNodeAsync();
        var untrusted = await Task.WhenAll(candidates.Select(async nodeId =>
            await GrainFactory.GetGrain<INodeGrain>(nodeId).RevokeCertificateAsync(key, reason, actor) ? nodeId : null));
        return untrusted.OfType<string>().Order(StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetRevokedAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Revoked.Keys.ToArray());

    private async Task<IReadOnlyList<string>> EveryNodeAsync()
    {
        var sites = await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync();
        var facts = await Task.WhenAll(sites.Select(site => GrainFactory.GetGrain<ISiteGrain>(site).GetNodeFactsAsync()));
        return facts.SelectMany(f => f).Select(f => f.NodeId).ToArray();
    }
}
