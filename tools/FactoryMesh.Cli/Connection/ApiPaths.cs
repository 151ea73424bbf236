using System.Globalization;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Contracts.Hub;

namespace FactoryMesh.Cli.Connection;

/// <summary>
/// The server's routes, relative to the server URL, in one place. Every id is escaped as one path segment, so a
/// node id's '/' travels as %2F (as the API expects) and no id can reach another route.
/// </summary>
internal static class ApiPaths
{
    // The contract's root, made relative: the server URL may carry a path of its own (a reverse proxy's prefix).
    private static readonly string Root = ApiRoutes.Root.TrimStart('/');

    public static readonly string Sites = Root + "/sites";
    public static readonly string Tenants = Root + "/tenants";
    public static readonly string Tokens = Root + "/tokens";
    public static readonly string TokenKeyRotation = Root + "/tokens/keys/rotate";
    public static readonly string AuditVerify = Root + "/audit/verify";
    public static readonly string AuditHead = Root + "/audit/head";
    public static readonly string AuditPublicKey = Root + "/audit/public-key";
    public static readonly string CertificateRevocations = Root + "/attestation/revocations";
    public static readonly string Placement = ApiRoutes.Placement.TrimStart('/');
    public static readonly string FleetHub = FleetHubMethods.Path.TrimStart('/');

    public static string TokenRevocation(string tokenId) => $"{Tokens}/{Segment(tokenId)}/revoke";

    public static string Site(string siteId) => $"{Sites}/{Segment(siteId)}";

    public static string SiteNodes(string siteId) => $"{Site(siteId)}/nodes";

    public static string Node(string nodeId) => $"{Root}/nodes/{Segment(nodeId)}";

    public static string NodeRevocation(string nodeId) => $"{Node(nodeId)}/revoke";

    public static string Tenant(string tenantId) => $"{Tenants}/{Segment(tenantId)}";

    public static string Model(string tenantId, string modelId) => $"{Tenant(tenantId)}/models/{Segment(modelId)}";

    public static string ModelPlacement(string tenantId, string modelId) => $"{Model(tenantId, modelId)}/placement";

    public static string ModelPlacementExplanation(string tenantId, string modelId, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{ModelPlacement(tenantId, modelId)}/explain?limit={limit}");

    /// <summary>Where a fresh data key for one of the tenant's artifacts comes from (plaintext and wrapped).</summary>
    public static string DataKeys(string tenantId) => $"{Tenant(tenantId)}/datakeys";

    /// <summary>Up to 1,000 ledger records after <paramref name="after"/>, exactly as stored.</summary>
    public static string AuditRecords(long after) => $"{Root}/audit/records?after={after.ToString(CultureInfo.InvariantCulture)}&limit=1000";

    /// <summary>The audit ledger, filtered; only the filters given are sent, so the server's defaults apply.</summary>
    public static string Audit(string? nodeId, DateTimeOffset? since, int? limit)
    {
        var query = new List<string>();
        if (nodeId is not null)
        {
            query.Add($"nodeId={Uri.EscapeDataString(nodeId)}");
        }

        if (since is { } from)
        {
            query.Add($"since={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}");
        }

        if (limit is { } count)
        {
            query.Add($"limit={count.ToString(CultureInfo.InvariantCulture)}");
        }

        return query.Count == 0 ? $"{Root}/audit" : $"{Root}/audit?{string.Join('&', query)}";
    }

    private static string Segment(string id) => Uri.EscapeDataString(id);
}
