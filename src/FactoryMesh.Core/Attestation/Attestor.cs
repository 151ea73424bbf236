using System.Security.Cryptography;
using System.Text;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Judges a node's evidence end to end and fails closed: the format's verifier checks signature, chain and
/// token validity; then the evidence must be about this node, answer this node's one outstanding, unexpired
/// challenge (and every GPU a nonce derived from it), use no revoked certificate, come from an allowed TEE
/// kind, and every component must run with CC mode on and debug off and measure only allowed, unexpired
/// reference values. Anything unknown, missing or erroneous is a failure naming its check.
/// </summary>
public sealed class Attestor
{
    private readonly Dictionary<string, IEvidenceVerifier> _verifiers;
    private readonly ReferenceValues _referenceValues;
    private readonly IReadOnlySet<string> _allowedTeeKinds;
    private readonly NonceCodec _nonces;

    /// <summary>Creates an attestor with the configured verifiers, reference values, allowed TEE kinds and nonce codec.</summary>
    public Attestor(IEnumerable<IEvidenceVerifier> verifiers, ReferenceValues referenceValues, IReadOnlySet<string> allowedTeeKinds, NonceCodec nonces)
    {
        _verifiers = verifiers.ToDictionary(v => v.Format, StringComparer.Ordinal);
        _referenceValues = referenceValues;
        _allowedTeeKinds = allowedTeeKinds;
        _nonces = nonces;
    }

    /// <summary>The version of the reference values in force.</summary>
    public string PolicyVersion => _referenceValues.Version;

    /// <summary>Judges <paramref name="request"/>.</summary>
    public async Task<AttestationVerdict> JudgeAsync(AttestationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Evidence ?? string.Empty)));
        AttestationVerdict Fail(AppraisalCheck check, string detail, VerifiedEvidence? evidence = null) =>
            new(check, detail, evidence, digest, _referenceValues.Version);

        if (request.Format is not (EvidenceFormats.SimulatedJws or EvidenceFormats.EatJwt))
        {
            return Fail(AppraisalCheck.UnknownFormat, "unknown evidence format");
        }

        if (!_verifiers.TryGetValue(request.Format, out var verifier))
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
            ?? CheckRequiredClaims(evidence)
            ?? CheckComponents(evidence, request.Now)
            ?? CheckStatedMeasurements(evidence);
        return failure is var (check, detail)
            ? Fail(check, detail, evidence) with { Bound = true }
            : new AttestationVerdict(AppraisalCheck.None, $"{evidence.Components.Count} components appraised", evidence, digest, _referenceValues.Version, Bound: true);
    }

    private (AppraisalCheck, string)? CheckBinding(AttestationRequest request, VerifiedEvidence evidence)
    {
        if (evidence.NodeId is { } claimed && !string.Equals(claimed, request.NodeId, StringComparison.Ordinal))
        {
            return (AppraisalCheck.NodeMismatch, "the evidence is about another node");
        }

        var nonceCheck = _nonces.Check(evidence.Nonce, request.NodeId, request.Now);
        if (nonceCheck != AppraisalCheck.None)
        {
            return (nonceCheck, nonceCheck switch
            {
                AppraisalCheck.NonceForged => "the nonce was not issued by this control plane",
                AppraisalCheck.NonceOfAnotherNode => "the nonce was issued to another node",
                _ => "the nonce has expired",
            });
        }

        if (!string.Equals(evidence.Nonce, request.OutstandingNonce, StringComparison.Ordinal))
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

    // Silence is not compliance: a component kind the reference values name must be in the evidence, stating every
    // measurement named for it, or a verifier that omits measurements would pass every deployment.
    private (AppraisalCheck, string)? CheckStatedMeasurements(VerifiedEvidence evidence)
    {
        foreach (var kind in _referenceValues.Kinds)
        {
            var stated = evidence.Components.Where(c => string.Equals(c.Kind, kind, StringComparison.Ordinal)).ToList();
            if (stated.Count == 0)
            {
                return (AppraisalCheck.MeasurementMissing, $"the evidence states no {kind} component; the reference values name one");
            }

            foreach (var component in stated)
            {
                var missing = _referenceValues.MeasurementNames(kind).FirstOrDefault(name => !component.Measurements.ContainsKey(name));
                if (missing is not null)
                {
                    return (AppraisalCheck.MeasurementMissing, $"{EvidenceText.Quote(component.Id)}: {kind}/{missing} is not stated");
                }
            }
        }

        return null;
    }

    private static (AppraisalCheck, string)? CheckRequiredClaims(VerifiedEvidence evidence) =>
        evidence.UnmetRequiredClaim is { } claim ? (AppraisalCheck.ClaimMismatch, $"required claim '{claim}' does not have its configured value") : null;

    private (AppraisalCheck, string)? CheckComponents(VerifiedEvidence evidence, DateTimeOffset now)
    {
        foreach (var component in evidence.Components)
        {
            if (component.DebugEnabled is not false)
            {
                return (AppraisalCheck.DebugEnabled, $"{EvidenceText.Quote(component.Id)}: debug is {(component.DebugEnabled is null ? "not stated" : "enabled")}");
            }

            if (component.Kind == "gpu" && component.CcModeOn is not true)
            {
                // A GPU verifier's overall "pass" does not imply CC mode: it is checked here, per GPU.
                return (AppraisalCheck.CcModeOff, $"{EvidenceText.Quote(component.Id)}: confidential-computing mode is {(component.CcModeOn is null ? "not stated" : "off")}");
            }

            foreach (var (name, value) in component.Measurements)
            {
                if (_referenceValues.Allowed(component.Kind, name) is not { } allowed)
                {
                    return (AppraisalCheck.MissingReferenceValue, $"{EvidenceText.Quote(component.Id)}: no reference value for {EvidenceText.Quote(component.Kind)}/{EvidenceText.Quote(name)}");
                }

                var match = allowed.FirstOrDefault(r => string.Equals(r.Value, value, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    return (AppraisalCheck.MeasurementNotAllowed, $"{EvidenceText.Quote(component.Id)}: {EvidenceText.Quote(name)} '{EvidenceText.Quote(value)}' is not an allowed value");
                }

                if (match.ExpiresAt is { } expires && now >= expires)
                {
                    return (AppraisalCheck.ReferenceValueExpired, $"{EvidenceText.Quote(component.Id)}: the reference value for {EvidenceText.Quote(name)} expired at {expires:u}");
                }
            }
        }

        return null;
    }
}
