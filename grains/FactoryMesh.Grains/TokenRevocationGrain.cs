using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>Revoked token families; an entry is dropped once every token of its family has expired anyway.</summary>
public sealed class TokenRevocationGrain(
    [PersistentState("token-revocations", FleetStorage.Name)] IPersistentState<TokenRevocationState> state,
    TimeProvider clock) : Grain, ITokenRevocationGrain
{
    /// <inheritdoc />
    public async Task RevokeAsync(string family, DateTimeOffset until, string reason, string actor)
    {
        var now = clock.GetUtcNow();
        foreach (var expired in state.State.Revoked.Where(r => r.Value <= now).Select(r => r.Key).ToList())
        {
            state.State.Revoked.Remove(expired);
        }

        state.State.Revoked[family] = state.State.Revoked.TryGetValue(family, out var earlier) && earlier > until ? earlier : until;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(
            new AuditEntry(now, AuditKinds.TokenRevocation, null, actor, "revoked", $"token family {family}: {reason}"));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetRevokedAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult<IReadOnlyList<string>>(state.State.Revoked.Where(r => r.Value > now).Select(r => r.Key).ToArray());
    }
}
