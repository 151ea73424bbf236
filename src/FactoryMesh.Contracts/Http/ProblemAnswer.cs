namespace FactoryMesh.Contracts.Http;

/// <summary>
/// An RFC 7807 problem as the control plane sends it, with the extensions programs act on. The server writes the
/// extensions under the names in <see cref="ProblemExtensions"/>.
/// </summary>
/// <param name="Title">What went wrong, in short.</param>
/// <param name="Detail">Why.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Check">For a rejected appraisal: the check that failed.</param>
/// <param name="Trust">For a rejected appraisal: the node's trust afterwards.</param>
/// <param name="Refusal">For a refused key release: why (<c>NodeNotTrusted</c>, <c>StaleAssignment</c>, …).</param>
/// <param name="Errors">For a 400: the broken rules by field.</param>
public sealed record ProblemAnswer(
    string? Title,
    string? Detail,
    int? Status = null,
    string? Check = null,
    TrustReport? Trust = null,
    string? Refusal = null,
    IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>Title, refusal and detail as one line.</summary>
    public string Describe() => string.Join(' ', new[] { Title, Refusal is null ? null : $"[{Refusal}]", Detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
