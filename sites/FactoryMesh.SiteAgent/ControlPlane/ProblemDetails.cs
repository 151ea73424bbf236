namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>An RFC 7807 problem as the control plane sends it, with its attestation extensions.</summary>
/// <param name="Title">What went wrong, in short.</param>
/// <param name="Detail">Why.</param>
/// <param name="Check">For a rejected appraisal: the check that failed.</param>
/// <param name="Trust">For a rejected appraisal: the node's trust afterwards.</param>
/// <param name="Refusal">For a refused key release: why (<c>NodeNotTrusted</c>, <c>StaleAssignment</c>, …).</param>
internal sealed record ProblemDetails(string? Title, string? Detail, string? Check, TrustReport? Trust, string? Refusal = null)
{
    /// <summary>Title, refusal and detail as one line.</summary>
    public string Describe() => string.Join(' ', new[] { Title, Refusal is null ? null : $"[{Refusal}]", Detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
