namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>An RFC 7807 problem as the control plane sends it, with its attestation extensions.</summary>
/// <param name="Title">What went wrong, in short.</param>
/// <param name="Detail">Why.</param>
/// <param name="Check">For a rejected appraisal: the check that failed.</param>
/// <param name="Trust">For a rejected appraisal: the node's trust afterwards.</param>
internal sealed record ProblemDetails(string? Title, string? Detail, string? Check, TrustReport? Trust)
{
    /// <summary>Title and detail as one line.</summary>
    public string Describe() => string.Join(' ', new[] { Title, Detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
