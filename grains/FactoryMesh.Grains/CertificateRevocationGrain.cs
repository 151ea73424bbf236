using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>Revoked device certificates, and the nodes to untrust when one is revoked.</summary>
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

        var candidates = state.State.UsedBy.TryGetValue(key, out var nodes) ? nodes.Order(StringComparer.Ordinal).ToList() : [];
        var untrusted = new List<string>();
        foreach (var nodeId in candidates)
        {
            if (await GrainFactory.GetGrain<INodeGrain>(nodeId).RevokeCertificateAsync(key, reason, actor))
            {
                untrusted.Add(nodeId);
            }
        }

        return untrusted;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetRevokedAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Revoked.Keys.ToArray());

    /// <inheritdoc />
    public async Task RecordUseAsync(string nodeId, IReadOnlyList<string> certificates)
    {
        var changed = false;
        foreach (var certificate in certificates.Select(c => c.ToUpperInvariant()))
        {
            if (!state.State.UsedBy.TryGetValue(certificate, out var nodes))
            {
                nodes = new HashSet<string>(StringComparer.Ordinal);
                state.State.UsedBy[certificate] = nodes;
            }

            changed |= nodes.Add(nodeId);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }
}
