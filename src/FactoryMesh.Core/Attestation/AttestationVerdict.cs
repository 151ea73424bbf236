namespace FactoryMesh.Core.Attestation;

/// <summary>The outcome of one attestation: passed, or the check that failed, with what the audit log needs.</summary>
/// <param name="FailedCheck"><see cref="AppraisalCheck.None"/> when it passed.</param>
/// <param name="Detail">What passed or failed, in words (no secrets, no raw evidence).</param>
/// <param name="Evidence">The verified claims, when the signature verified.</param>
/// <param name="EvidenceSha256">SHA-256 of the raw evidence, hex: identifies it in the audit log without storing it.</param>
/// <param name="PolicyVersion">The reference values' version that judged it.</param>
/// <param name="Bound">
/// True when the evidence verified and answers this node's outstanding challenge: only such evidence says anything
/// about the node, so only its failure may untrust it. Junk, forgeries and replays are refused without effect.
/// </param>
public sealed record AttestationVerdict(
    AppraisalCheck FailedCheck,
    string Detail,
    VerifiedEvidence? Evidence,
    string EvidenceSha256,
    string PolicyVersion,
    bool Bound = false)
{
    /// <summary>True when every check passed.</summary>
    public bool Passed => FailedCheck == AppraisalCheck.None;
}
