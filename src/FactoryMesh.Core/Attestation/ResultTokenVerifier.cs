namespace FactoryMesh.Core.Attestation;

/// <summary>
/// A verifier of one format of verifiers' results: holds the trusted verifiers of the format by issuer and the clock
/// skew, and by default verifies a single signed token (<see cref="SignedResultToken"/>) and reads its claims.
/// </summary>
public abstract class ResultTokenVerifier : IEvidenceVerifier
{
    private readonly Dictionary<string, ResultVerifierTrust> _trusted;
    private readonly TimeSpan _clockSkew;

    /// <summary>Creates a verifier accepting the results of <paramref name="trusted"/> within <paramref name="clockSkew"/>.</summary>
    protected ResultTokenVerifier(IEnumerable<ResultVerifierTrust> trusted, TimeSpan clockSkew)
    {
        _trusted = trusted.ToDictionary(t => t.Issuer, StringComparer.Ordinal);
        _clockSkew = clockSkew;
    }

    /// <inheritdoc />
    public abstract string Format { get; }

    /// <summary>The algorithms the format's tokens may be signed with.</summary>
    protected virtual IReadOnlyCollection<string> Algorithms => ResultAlgorithms.Asymmetric;

    /// <inheritdoc />
    public virtual async Task<VerificationResult> VerifyAsync(string evidence, DateTimeOffset now)
    {
        var (token, failure) = await CheckAsync(evidence, now).ConfigureAwait(false);
        if (token is null)
        {
            return failure!;
        }

        using (token)
        {
            return Read(token);
        }
    }

    /// <summary>Checks one token of the format as <see cref="SignedResultToken.CheckAsync"/> does.</summary>
    protected Task<(SignedResultToken? Token, VerificationResult? Failure)> CheckAsync(string compact, DateTimeOffset now) =>
        SignedResultToken.CheckAsync(compact, _trusted, Algorithms, now, _clockSkew);

    /// <summary>Reads the claims of a checked token; formats that are not one token override <see cref="VerifyAsync"/> instead.</summary>
    protected virtual VerificationResult Read(SignedResultToken token) =>
        throw new NotSupportedException($"{GetType().Name} verifies more than one token.");
}
