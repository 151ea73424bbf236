using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane's judgement of submitted evidence.</summary>
/// <param name="Accepted">True when the node is now Trusted.</param>
/// <param name="Trust">The node's trust after the judgement.</param>
/// <param name="FailedCheck">The check that failed (<c>DebugEnabled</c>, <c>NonceMismatch</c>, …), when rejected.</param>
/// <param name="Detail">The control plane's explanation, when rejected.</param>
internal sealed record AppraisalResult(bool Accepted, TrustReport? Trust, string? FailedCheck, string? Detail);
