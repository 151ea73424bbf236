namespace FactoryMesh.Core.Attestation;

/// <summary>What a verifier made of evidence: its claims, or the one check that failed.</summary>
public sealed record VerificationResult(VerifiedEvidence? Evidence, AppraisalCheck FailedCheck, string Detail)
{
    /// <summary>Verified claims.</summary>
    public static VerificationResult Verified(VerifiedEvidence evidence) => new(evidence, AppraisalCheck.None, "verified");

    /// <summary>A failure of <paramref name="check"/>, explained by <paramref name="detail"/>.</summary>
    public static VerificationResult Failed(AppraisalCheck check, string detail) => new(null, check, detail);
}
