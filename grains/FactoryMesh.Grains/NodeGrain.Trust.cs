using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.Grains;

/// <summary>
/// The node's trust lifecycle: challenge, appraisal, expiry and revocation. Trust ends on its own: a one-shot
/// grain timer turns the node Stale exactly at expiry while it is active, and a reminder wakes it for the same
/// purpose after a deactivation or a silo restart; activation itself also catches an expiry that passed.
/// </summary>
public sealed partial class NodeGrain
{
    private const string TrustExpiryReminder = "trust-expiry";
    private const string SystemActor = "system";

    // Reminders cannot fire more often than once a minute; the timer gives the exact instant.
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly AttestationOptions _attestationOptions;
    private readonly Attestor _attestor;
    private readonly NonceCodec _nonces;
    private string? _outstandingNonce;
    private IGrainTimer? _trustTimer;

    private IAuditLedgerGrain Ledger => GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key);

    /// <inheritdoc />
    public Task<AttestationChallenge?> IssueChallengeAsync()
    {
        if (State.Inventory is null)
        {
            return Task.FromResult<AttestationChallenge?>(null);
        }

        var expiresAt = _clock.GetUtcNow() + _attestationOptions.NonceLifetime;
        _outstandingNonce = _nonces.Issue(_key, expiresAt);
        return Task.FromResult<AttestationChallenge?>(new AttestationChallenge(_outstandingNonce, expiresAt));
    }

    /// <inheritdoc />
    public async Task<AttestationOutcome?> AttestAsync(string format, string evidence, string actor)
    {
        if (State.Inventory is not { } inventory)
        {
            return null;
        }

        var outstanding = _outstandingNonce;
        var revoked = await GrainFactory.GetGrain<ICertificateRevocationGrain>(ICertificateRevocationGrain.Key).GetRevokedAsync();
        var now = _clock.GetUtcNow();
        var verdict = await _attestor.JudgeAsync(new AttestationRequest(
            _key, inventory.TeeKind, inventory.GpuCount, format, evidence, outstanding, revoked.ToHashSet(StringComparer.Ordinal), now, inventory.GpuModel));

        if (!verdict.Bound)
        {
            // Junk, a forgery or a replay says nothing about the node: refused and audited, trust and the outstanding
            // challenge left as they were, so whoever sends it can neither untrust the node nor spend its nonce.
            await Ledger.AppendRetryingAsync(new AuditEntry(
                now, AuditKinds.Appraisal, _key, actor, $"refused: {verdict.FailedCheck}", verdict.Detail,
                verdict.EvidenceSha256, PolicyVersion: verdict.PolicyVersion), this);
            LogRefused(_key, verdict.FailedCheck);
            return new AttestationOutcome(State.Trust, verdict.FailedCheck, verdict.Detail);
        }

        _outstandingNonce = null; // answered: bound evidence spends its challenge, whatever its verdict
        if (verdict.Passed && await PinnedElsewhereAsync(verdict.Evidence!) is { } owner)
        {
            verdict = verdict with
            {
                FailedCheck = AppraisalCheck.DevicePinnedToAnotherNode,
                Detail = "the device certificate is pinned to another node; one device key attests one node",
            };
            LogDevicePinned(_key, owner);
        }

        await Ledger.AppendRetryingAsync(new AuditEntry(
            now, AuditKinds.Appraisal, _key, actor, verdict.Passed ? "pass" : verdict.FailedCheck.ToString(), verdict.Detail,
            verdict.EvidenceSha256, verdict.Evidence?.Nonce, verdict.PolicyVersion), this);
        LogAppraised(_key, verdict.FailedCheck);

        if (!verdict.Passed)
        {
            await TransitionAsync(new TrustStatus(TrustState.Untrusted, null, null, $"{verdict.FailedCheck}: {verdict.Detail}"), actor);
            return new AttestationOutcome(State.Trust, verdict.FailedCheck, verdict.Detail);
        }

        var evidenceClaims = verdict.Evidence!;
        var freshUntil = now + _attestationOptions.MaxAge;
        var expiresAt = evidenceClaims.ExpiresAt is { } tokenExpiry && tokenExpiry < freshUntil ? tokenExpiry : freshUntil;
        State.TeePublicKeyJwk = evidenceClaims.TeePublicKeyJwk;
        State.Certificates = evidenceClaims.CertificateThumbprints.Concat(evidenceClaims.CertificateSerials).Select(c => c.ToUpperInvariant()).ToList();
        var reason = evidenceClaims.TeePublicKeyJwk is null ? "attested; no TEE key bound, so no key releases" : "attested";
        await TransitionAsync(new TrustStatus(TrustState.Trusted, now, expiresAt, reason), actor);
        return new AttestationOutcome(State.Trust, AppraisalCheck.None, verdict.Detail);
    }

    // The leaf (device) certificate is pinned to the first node it attested; null when this node owns it or the
    // evidence has no device certificate (a verifier's token: the verifier vouched for the hardware).
    private async Task<string?> PinnedElsewhereAsync(VerifiedEvidence evidence)
    {
        if (evidence.CertificateThumbprints.Count == 0)
        {
            return null;
        }

        var owner = await GrainFactory.GetGrain<IDevicePinGrain>(evidence.CertificateThumbprints[0].ToUpperInvariant()).PinAsync(_key);
        return string.Equals(owner, _key, StringComparison.Ordinal) ? null : owner;
    }

    // A node that comes back as something else (another GPU model, count, memory, TEE, cost) was not what was attested:
    // its trust, TEE key and replicas belonged to the old inventory. Called by registration before it stores the new one.
    private async Task ForgetAttestationAsync(string actor)
    {
        _outstandingNonce = null;
        State.TeePublicKeyJwk = null;
        State.Certificates = [];
        await TransitionAsync(new TrustStatus(TrustState.Unknown, null, null, "inventory changed: the node must attest again"), actor);
        if (State.Replicas.Count > 0)
        {
            await EvictReplicasAsync($"node {_key} re-registered with another inventory");
        }
    }

    /// <inheritdoc />
    public async Task<TrustStatus?> RevokeAsync(string reason, string actor)
    {
        if (State.Inventory is null)
        {
            return null;
        }

        var now = _clock.GetUtcNow();
        await Ledger.AppendRetryingAsync(new AuditEntry(now, AuditKinds.NodeRevocation, _key, actor, "revoked", reason), this);
        await TransitionAsync(new TrustStatus(TrustState.Untrusted, null, null, $"revoked: {reason}"), actor);
        return State.Trust;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeCertificateAsync(string certificate, string reason, string actor)
    {
        if (!State.Certificates.Contains(certificate.ToUpperInvariant(), StringComparer.Ordinal) || State.Trust.State == TrustState.Untrusted)
        {
            return false;
        }

        await TransitionAsync(new TrustStatus(TrustState.Untrusted, null, null, $"device certificate {certificate} revoked: {reason}"), actor);
        return true;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != TrustExpiryReminder)
        {
            return;
        }

        if (State.Trust.State == TrustState.Trusted)
        {
            await ExpireTrustIfDueAsync();
        }
        else
        {
            await UnregisterTrustReminderAsync(); // left over from a trust that ended while the grain was away
        }
    }

    // On activation: an expiry that passed while the grain was away takes effect now; a future one is armed.
    private async Task ResumeTrustAsync()
    {
        await ExpireTrustIfDueAsync();
        ArmTrustTimer();
    }

    // A timer may fire a moment before the instant it was set for: then it is set again, or the node would stay
    // Trusted past its expiry until the next reminder.
    private async Task ExpireOrRearmAsync()
    {
        if (State.Trust is { State: TrustState.Trusted, ExpiresAt: { } expiresAt } && _clock.GetUtcNow() < expiresAt)
        {
            ArmTrustTimer();
            return;
        }

        await ExpireTrustIfDueAsync();
    }

    private async Task ExpireTrustIfDueAsync()
    {
        if (State.Trust is { State: TrustState.Trusted, ExpiresAt: { } expiresAt } trust && _clock.GetUtcNow() >= expiresAt)
        {
            await TransitionAsync(trust with { State = TrustState.Stale, Reason = "attestation is no longer fresh" }, SystemActor);
        }
    }

    // Records the new trust durably, in the site index and (when the state changes) in the audit log.
    private async Task TransitionAsync(TrustStatus next, string actor)
    {
        var previous = State.Trust;
        State.Trust = next;
        await _writer.WriteAsync();
        // Stored now: the ledger and the site's index must follow even while a silo holding them is being replaced.
        if (previous.State != next.State)
        {
            LogTrustChanged(_key, previous.State, next.State);
            _ = Publisher.PublishAsync(new TrustChangedEvent(_key, _nodeId.SiteId, next.State, previous.State, next.ExpiresAt, next.Reason, _clock.GetUtcNow()));
            await Ledger.AppendRetryingAsync(new AuditEntry(
                _clock.GetUtcNow(), AuditKinds.Transition, _key, actor, next.State.ToString(), next.Reason,
                PreviousState: previous.State.ToString(), NewState: next.State.ToString()), this);
        }

        await ClusterCallRetry.RunAsync(this, () => Site.UpdateNodeFactsAsync(Facts()));

        ArmTrustTimer();
        await ReactToHealthAsync();
        if (next.State == TrustState.Trusted)
        {
            await this.RegisterOrUpdateReminder(TrustExpiryReminder, Positive(next.ExpiresAt!.Value - _clock.GetUtcNow()), ReminderPeriod);
        }
        else if (previous.State == TrustState.Trusted)
        {
            await UnregisterTrustReminderAsync();
        }
    }

    private void ArmTrustTimer()
    {
        _trustTimer?.Dispose();
        _trustTimer = null;
        if (State.Trust is { State: TrustState.Trusted, ExpiresAt: { } expiresAt })
        {
            _trustTimer = this.RegisterGrainTimer(
                _ => ExpireOrRearmAsync(),
                new GrainTimerCreationOptions(Positive(expiresAt - _clock.GetUtcNow()), Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    private async Task UnregisterTrustReminderAsync()
    {
        if (await this.GetReminder(TrustExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static TimeSpan Positive(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.Zero;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId}: evidence refused before appraisal ({FailedCheck}); trust unchanged")]
    private partial void LogRefused(string nodeId, AppraisalCheck failedCheck);

    // The owner goes to the operators' log, not into the trust reason every viewer of this node's site can read.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} presented the device certificate pinned to node {Owner}")]
    private partial void LogDevicePinned(string nodeId, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} appraised: {FailedCheck}")]
    private partial void LogAppraised(string nodeId, AppraisalCheck failedCheck);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} trust {Previous} -> {Current}")]
    private partial void LogTrustChanged(string nodeId, TrustState previous, TrustState current);
}
