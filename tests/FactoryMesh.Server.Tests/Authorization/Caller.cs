namespace FactoryMesh.Server.Tests.Authorization;

/// <summary>Who knocks: no token, five kinds of token that must never authenticate, and the seven real kinds of caller.</summary>
public enum Caller
{
    Anonymous,
    Expired,
    WrongAudience,
    AlgNone,
    ForeignKey,
    EmbeddedJwk,
    Operator,
    Scheduler,
    AgentOfThisSite,
    AgentOfAnotherSite,
    ViewerOfThisTenant,
    ViewerOfAnotherTenant,
    MetricsScraper,
}
