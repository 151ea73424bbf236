using FactoryMesh.Contracts.Http;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Server.Api;

/// <summary>The domain's trust status as the wire reports it.</summary>
public static class TrustReports
{
    /// <summary>The report of <paramref name="status"/>.</summary>
    public static TrustReport ToReport(this TrustStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new TrustReport(status.State.ToString(), status.VerifiedAt, status.ExpiresAt, status.Reason);
    }
}
