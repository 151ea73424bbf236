namespace FactoryMesh.Core.Audit;

/// <summary>The result of checking the ledger.</summary>
/// <param name="Intact">True when no record was edited, removed, reordered or cut off.</param>
/// <param name="Records">Records checked.</param>
/// <param name="BrokenAt">The first sequence that failed, when broken.</param>
/// <param name="Problem">What is wrong there, when broken.</param>
public sealed record AuditVerification(bool Intact, int Records, long? BrokenAt, string? Problem)
{
    /// <summary>An intact ledger of <paramref name="records"/> records.</summary>
    public static AuditVerification Whole(int records) => new(true, records, null, null);

    /// <summary>A ledger broken at <paramref name="sequence"/>.</summary>
    public static AuditVerification Broken(int records, long sequence, string problem) => new(false, records, sequence, problem);
}
