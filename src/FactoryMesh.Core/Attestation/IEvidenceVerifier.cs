namespace FactoryMesh.Core.Attestation;

/// <summary>Checks one evidence format's signature, chain and token validity, and extracts its claims.</summary>
public interface IEvidenceVerifier
{
    /// <summary>The format this verifier reads, one of <see cref="EvidenceFormats"/>.</summary>
    string Format { get; }

    /// <summary>
    /// Verifies <paramref name="evidence"/> as of <paramref name="now"/>. Never throws for bad evidence: every
    /// failure comes back as a result naming the check; the appraisal of the claims is not its job.
    /// </summary>
    Task<VerificationResult> VerifyAsync(string evidence, DateTimeOffset now);
}
