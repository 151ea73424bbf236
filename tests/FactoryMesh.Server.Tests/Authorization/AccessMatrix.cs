namespace FactoryMesh.Server.Tests.Authorization;

/// <summary>
/// The authorization matrix, written once: every route and hub method, and which callers it admits. It is the test's
/// own statement of who may do what (from the API's documentation and the security issue), not read from the server:
/// the server enforces it through its policies in one place (RouteScopeHandler and the role policies), and a policy
/// removed or widened there fails the cells that disagree.
/// </summary>
public static class AccessMatrix
{
    private static readonly Caller[] Everyone = [Caller.Operator, Caller.Scheduler, Caller.AgentOfThisSite, Caller.AgentOfAnotherSite, Caller.ViewerOfThisTenant, Caller.ViewerOfAnotherTenant, Caller.MetricsScraper];
    private static readonly Caller[] OperatorOnly = [Caller.Operator];
    private static readonly Caller[] OperatorOrScheduler = [Caller.Operator, Caller.Scheduler];
    private static readonly Caller[] SiteAgent = [Caller.Operator, Caller.AgentOfThisSite];
    private static readonly Caller[] SiteReader = [Caller.Operator, Caller.Scheduler, Caller.AgentOfThisSite];
    private static readonly Caller[] TenantReader = [Caller.Operator, Caller.Scheduler, Caller.ViewerOfThisTenant];

    /// <summary>Every HTTP route: method, path template ({site}, {node}, {victim}, {tenant}, {model}), a body, who may call.</summary>
    public static IReadOnlyList<RouteRule> Routes { get; } =
    [
        new("GET", "/api/v1/sites", null, Everyone),
        new("PUT", "/api/v1/sites/{site}", Scene.SiteBody, OperatorOnly),
        new("GET", "/api/v1/sites/{site}", null, Everyone),
        new("PUT", "/api/v1/sites/{site}/nodes/node-1", Scene.NodeBody, SiteAgent),
        new("POST", "/api/v1/sites/{site}/nodes", Scene.NodeBatchBody, SiteAgent),
        new("GET", "/api/v1/sites/{site}/nodes", null, SiteReader),
        new("POST", "/api/v1/sites/{site}/heartbeats", Scene.HeartbeatBody, SiteAgent),
        new("GET", "/api/v1/nodes/{node}", null, OperatorOrScheduler),
        new("POST", "/api/v1/nodes/{node}/attestation/challenge", null, SiteAgent),
        new("POST", "/api/v1/nodes/{node}/attestation", """{"format": "sim-jws", "evidence": "not.real.evidence"}""", SiteAgent),
        new("POST", "/api/v1/nodes/{victim}/revoke", """{"reason": "matrix"}""", OperatorOnly),
        new("POST", "/api/v1/attestation/revocations", """{"certificate": "00AA11BB", "reason": "matrix"}""", OperatorOnly),
        new("POST", "/api/v1/nodes/{node}/keys/{tenant}/{model}", """{"teePublicKey": {"kty": "EC"}, "placementEpoch": 1}""", [Caller.AgentOfThisSite]),
        new("GET", "/api/v1/tenants", null, OperatorOrScheduler),
        new("PUT", "/api/v1/tenants/{tenant}", Scene.TenantBody, OperatorOnly),
        new("GET", "/api/v1/tenants/{tenant}", null, TenantReader),
        new("GET", "/api/v1/tenants/{tenant}/models", null, TenantReader),
        new("PUT", "/api/v1/tenants/{tenant}/models/{model}", Scene.ModelBody, OperatorOrScheduler),
        new("GET", "/api/v1/tenants/{tenant}/models/{model}", null, TenantReader),
        new("POST", "/api/v1/tenants/{tenant}/models/{model}/placement", null, OperatorOrScheduler),
        new("GET", "/api/v1/tenants/{tenant}/models/{model}/placement/explain", null, OperatorOrScheduler),
        new("POST", "/api/v1/tenants/{tenant}/datakeys", null, OperatorOrScheduler),
        new("POST", "/api/v1/placement", """{"dryRun": true, "timeLimitSeconds": 0.2}""", OperatorOrScheduler),
        new("POST", "/api/v1/tokens", """{"role": "viewer", "tenant": "matrix"}""", OperatorOnly),
        new("POST", "/api/v1/tokens/refresh", null, Everyone),
        new("POST", "/api/v1/tokens/0123456789abcdef/revoke", """{"reason": "matrix"}""", OperatorOnly),
        new("POST", "/api/v1/tokens/keys/rotate", "{}", OperatorOnly),
        new("GET", "/api/v1/audit?limit=1", null, OperatorOnly),
        new("GET", "/api/v1/audit/verify", null, OperatorOnly),
        new("GET", "/api/v1/audit/records?limit=1", null, OperatorOnly),
        new("GET", "/api/v1/audit/head", null, OperatorOnly),
        new("GET", "/api/v1/audit/public-key", null, OperatorOnly),
        new("GET", "/api/v1/history/sites", null, Everyone),
        new("GET", "/metrics", null, [Caller.Operator, Caller.MetricsScraper]),
    ];

    /// <summary>Every hub method and who may call it on the scene's site, node, tenant and model.</summary>
    public static IReadOnlyList<HubRule> HubMethods { get; } =
    [
        new("SubscribeFleet", [], OperatorOrScheduler),
        new("SubscribeSite", ["{site}"], [Caller.Operator, Caller.Scheduler, Caller.AgentOfThisSite, Caller.ViewerOfThisTenant]),
        new("SubscribeNode", ["{node}"], [Caller.Operator, Caller.Scheduler, Caller.AgentOfThisSite, Caller.ViewerOfThisTenant]),
        new("SubscribeTenant", ["{tenant}"], TenantReader),
        new("SubscribeModel", ["{tenant}", "{model}"], TenantReader),
    ];

    /// <summary>Routes anyone may call without a token.</summary>
    public static IReadOnlyList<string> Anonymous { get; } = ["/healthz", "/readyz", "/openapi/v1.json", "/", "/dashboard.js"];

    /// <summary>True for callers that hold a token the server must accept.</summary>
    public static bool IsAuthentic(Caller caller) => caller >= Caller.Operator;
}

/// <summary>One route of the matrix.</summary>
public sealed record RouteRule(string Method, string Path, string? Body, IReadOnlyList<Caller> Admitted)
{
    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>One hub method of the matrix.</summary>
public sealed record HubRule(string Method, IReadOnlyList<string> Arguments, IReadOnlyList<Caller> Admitted);
