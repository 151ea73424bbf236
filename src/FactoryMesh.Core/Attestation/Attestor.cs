using System.Security.Cryptography;
using System.Text;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Judges a node's evidence end to end and fails closed: the format's verifier checks signature, chain and
/// token validity; then the evidence must be about this node, answer this node's one outstanding, unexpired
/// challenge (and every GPU a nonce derived from it), use no revoked certificate, come from an allowed TEE
/// kind, attest exactly the registered GPUs, and every component must be covered by a device class of the
/// appraisal policy, run with CC mode on and debug off, have an accepted TCB status and trustworthiness, and
/// measure only allowed, unexpired reference values; every kind the policy requires must be there. Anything
/// unknown, missing or erroneous is a failure naming its check. The policy can be replaced while judging goes
/// on (a reloaded file): each judgement uses one policy throughout and names its version.
/// </summary>
public sealed class Attestor
{
    private readonly Dictionary<string, IEvidenceVerifier> _verifiers;
    private volatile AppraisalPolicy _policy;
    private readonly IReadOnlySet<string> _allowedTeeKinds;
    private readonly NonceCodec _nonces;

    /// <summary>Creates an attestor with the configured verifiers, appraisal policy, allowed TEE kinds and nonce codec.</summary>
    public Attestor(IEnumerable<IEvidenceVerifier> verifiers, AppraisalPolicy policy, IReadOnlySet<string> allowedTeeKinds, NonceCodec nonces)
    {
        _verifiers = verifiers.ToDictionary(v => v.Format, StringComparer.Ordinal);
        _policy = policy;
        _allowedTeeKinds = allowedTeeKinds;
        _nonces = nonces;
    }

    /// <summary>The version of the appraisal policy in force.</summary>
    public string PolicyVersion => _policy.Version;

    /// <summary>Puts <paramref name="policy"/> in force for every judgement that starts from now on.</summary>
    public void ReplacePolicy(AppraisalPolicy policy) => _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>Judges <paramref name="request"/>.</summary>
    public async Task<AttestationVerdict> JudgeAsync(AttestationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = _policy;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Evidence ?? string.Empty)));
        AttestationVerdict Fail(AppraisalCheck check, string detail, VerifiedEvidence? evidence = null) =>
            new(check, detail, evidence, digest, policy.Version);

        if (!EvidenceFormats.All.Contains(request.Format ?? string.Empty))
        {
            return Fail(AppraisalCheck.UnknownFormat, "unknown evidence format");
        }

        if (!_verifiers.TryGetValue(request.Format!, out var verifier))
        {
            return Fail(AppraisalCheck.NoVerifierConfigured, $"no verifier is configured for {request.Format}");
        }

        VerificationResult verification;
        try
        {
            verification = await verifier.VerifyAsync(request.Evidence ?? string.Empty, request.Now);
        }
#pragma warning disable CA1031 // fail closed: whatever a verifier throws means "not trusted", with its reason
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Fail(AppraisalCheck.MalformedEvidence, $"verification failed: {exception.GetType().Name}");
        }

        if (verification.Evidence is not { } evidence)
        {
            return Fail(verification.FailedCheck, verification.Detail);
        }

        if (CheckBinding(request, evidence) is var (unboundCheck, unboundDetail))
        {
            return Fail(unboundCheck, unboundDetail, evidence);
        }

        var failure = CheckRevocation(request, evidence)
            ?? CheckGpuCoverage(request, evidence)
            ?? CheckRefusal(evidence)
            ?? CheckComponents(policy, request, evidence)
            ?? CheckStatedMeasurements(policy, evidence);
        return failure is var (check, detail)
            ? Fail(check, detail, evidence) with { Bound = true }
            : new AttestationVerdict(AppraisalCheck.None, $"{evidence.Components.Count} components appraised", evidence, digest, policy.Version, Bound: true);
    }

    private (AppraisalCheck, string)? CheckBinding(AttestationRequest request, VerifiedEvidence evidence)
    {
        if (evidence.NodeId is { } claimed && !string.Equals(claimed, request.NodeId, StringComparison.Ordinal))
        {
            return (AppraisalCheck.NodeMismatch, "the evidence is about another node");
        }

        // Evidence that carries the challenge's digest can only be bound to the challenge outstanding now, which is then
        // the nonce whose issuer, node and expiry are checked.
        var challenge = evidence.Nonce;
        if (evidence.NonceBinding != NonceBinding.Exact)
        {
            if (request.OutstandingNonce is null
                || !string.Equals(evidence.Nonce, NonceBindings.Encode(evidence.NonceBinding, request.OutstandingNonce), StringComparison.OrdinalIgnoreCase))
            {
                return (AppraisalCheck.NonceReused, "the evidence answers no challenge outstanding for this node");
            }

            challenge = request.OutstandingNonce;
        }

        var nonceCheck = _nonces.Check(challenge, request.NodeId, request.Now);
        if (nonceCheck != AppraisalCheck.None)
        {
            return (nonceCheck, nonceCheck switch
            {
                AppraisalCheck.NonceForged => "the nonce was not issued by this control plane",
                AppraisalCheck.NonceOfAnotherNode => "the nonce was issued to another node",
                _ => "the nonce has expired",
            });
        }

        if (!string.Equals(challenge, request.OutstandingNonce, StringComparison.Ordinal))
        {
            return (AppraisalCheck.NonceReused, "the nonce was already used or superseded by a newer challenge");
        }

        foreach (var (gpuId, gpuNonce) in evidence.GpuNonces)
        {
            if (!string.Equals(gpuNonce, NonceCodec.DeriveGpuNonce(evidence.Nonce, gpuId), StringComparison.Ordinal))
            {
                return (AppraisalCheck.NonceMismatch, $"GPU {EvidenceText.Quote(gpuId)} answers a nonce not derived from the challenge");
            }
        }

        if (!_allowedTeeKinds.Contains(request.NodeTeeKind)
            || (evidence.TeeKind is { } kind && !string.Equals(kind, request.NodeTeeKind, StringComparison.Ordinal)))
        {
            return (AppraisalCheck.TeeKindNotAllowed, $"TEE kind '{EvidenceText.Quote(evidence.TeeKind ?? request.NodeTeeKind)}' is not allowed for this node");
        }

        return null;
    }

    private static (AppraisalCheck, string)? CheckRevocation(AttestationRequest request, VerifiedEvidence evidence)
    {
        var revoked = evidence.CertificateThumbprints.Concat(evidence.CertificateSerials).FirstOrDefault(request.RevokedCertificates.Contains);
        return revoked is null ? null : (AppraisalCheck.CertificateRevoked, $"certificate {revoked} is revoked");
    }

    // Trust is about the node as registered: evidence for fewer (or more) GPUs than the node placement counts on
    // would let one attested GPU vouch for the unattested rest.
    private static (AppraisalCheck, string)? CheckGpuCoverage(AttestationRequest request, VerifiedEvidence evidence) =>
        evidence.GpuCount == request.NodeGpuCount
            ? null
            : (AppraisalCheck.GpuInventoryMismatch, evidence.GpuCount is { } attested
                ? $"the evidence attests {attested} GPUs; the node is registered with {request.NodeGpuCount}"
                : $"the evidence does not state how many GPUs it attests; the node is registered with {request.NodeGpuCount}");

    // Silence is not compliance: a component kind the policy requires must be in the evidence, and every component must
    // state every measurement its class names, or a verifier that omits measurements would pass every deployment.
    private static (AppraisalCheck, string)? CheckStatedMeasurements(AppraisalPolicy policy, VerifiedEvidence evidence)
    {
        foreach (var kind in policy.RequiredKinds)
        {
            if (!evidence.Components.Any(c => string.Equals(c.Kind, kind, StringComparison.Ordinal)))
            {
                return (AppraisalCheck.MeasurementMissing, $"the evidence states no {kind} component; the appraisal policy requires one");
            }
        }

        foreach (var component in evidence.Components)
        {
            var deviceClass = policy.ClassOf(component)!; // every component was matched to a class before
            var missing = deviceClass.ReferenceValues.Keys.FirstOrDefault(name => !component.Measurements.ContainsKey(name));
            if (missing is not null)
            {
                return (AppraisalCheck.MeasurementMissing, $"{EvidenceText.Quote(component.Id)}: {deviceClass.Name}/{missing} is not stated");
            }
        }

        return null;
    }

    private static (AppraisalCheck, string)? CheckRefusal(VerifiedEvidence evidence) =>
        evidence.Refusal is { } refusal ? (refusal.Check, refusal.Detail) : null;

    private static (AppraisalCheck, string)? CheckComponents(AppraisalPolicy policy, AttestationRequest request, VerifiedEvidence evidence)
    {
        foreach (var component in evidence.Components)
        {
            var id = EvidenceText.Quote(component.Id);
            if (policy.ClassOf(component) is not { } deviceClass)
            {
                return (AppraisalCheck.MissingReferenceValue, $"{id}: no device class of the appraisal policy covers this {EvidenceText.Quote(component.Kind)}"
                    + (component.Model is { } model ? $" ({EvidenceText.Quote(model)})" : string.Empty));
            }

            if (component.Kind == "gpu" && deviceClass.RegisteredModels.Count > 0 && request.NodeGpuModel is { } registered
                && !deviceClass.RegisteredModels.Contains(registered, StringComparer.OrdinalIgnoreCase))
            {
                return (AppraisalCheck.DeviceModelMismatch, $"{id} is a {deviceClass.Name} device; the node is registered with {EvidenceText.Quote(registered)} GPUs");
            }

            if (component.DebugEnabled is not false)
            {
                return (AppraisalCheck.DebugEnabled, $"{id}: debug is {(component.DebugEnabled is null ? "not stated" : "enabled")}");
            }

            if (component.Kind == "gpu" && component.CcModeOn is not true)
            {
                // A GPU verifier's overall "pass" does not imply CC mode: it is checked here, per GPU.
                return (AppraisalCheck.CcModeOff, $"{id}: confidential-computing mode is {(component.CcModeOn is null ? "not stated" : "off")}");
            }

            if (component.TcbStatus is { } tcb && !(deviceClass.AllowedTcbStatuses ?? [DeviceClass.UpToDate]).Contains(tcb, StringComparer.Ordinal))
            {
                return (AppraisalCheck.TcbStatus, $"{id}: TCB status '{EvidenceText.Quote(tcb.Length == 0 ? "not stated" : tcb)}' is not allowed for {deviceClass.Name}");
            }

            if (component.TrustVector is { } vector && CheckTrustVector(deviceClass, vector) is { } trustFailure)
            {
                return (AppraisalCheck.TrustVector, $"{id}: {trustFailure}");
            }

            foreach (var (name, value) in component.Measurements)
            {
                if (!deviceClass.ReferenceValues.TryGetValue(name, out var allowed))
                {
                    return (AppraisalCheck.MissingReferenceValue, $"{id}: no reference value for {deviceClass.Name}/{EvidenceText.Quote(name)}");
                }

                var match = allowed.FirstOrDefault(r => string.Equals(r.Value, value, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    return (AppraisalCheck.MeasurementNotAllowed, $"{id}: {EvidenceText.Quote(name)} '{EvidenceText.Quote(value)}' is not an allowed value");
                }

                if (match.ExpiresAt is { } expires && request.Now >= expires)
                {
                    return (AppraisalCheck.ReferenceValueExpired, $"{id}: the reference value for {EvidenceText.Quote(name)}{(match.Version is { } v ? $" ({EvidenceText.Quote(v)})" : string.Empty)} expired at {expires:u}");
                }
            }
        }

        return null;
    }

    // Each claim the class (or the default) names must reach its tier; any other claim must only not contraindicate.
    private static string? CheckTrustVector(DeviceClass deviceClass, IReadOnlyDictionary<string, int> vector)
    {
        var minimums = deviceClass.TrustVector ?? DeviceClass.DefaultTrustVector;
        foreach (var (claim, tier) in minimums)
        {
            if (vector.TryGetValue(claim, out var value) ? !TrustTiers.Accepts(tier, value) : tier != TrustTiers.None)
            {
                return $"trustworthiness claim {claim} is {(vector.ContainsKey(claim) ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "absent")}; {deviceClass.Name} requires {tier}";
            }
        }

        var contraindicated = vector.FirstOrDefault(c => !minimums.ContainsKey(c.Key) && !TrustTiers.Accepts(TrustTiers.None, c.Value));
        return contraindicated.Key is null ? null : $"trustworthiness claim {EvidenceText.Quote(contraindicated.Key)} contraindicates ({contraindicated.Value})";
    }
}
