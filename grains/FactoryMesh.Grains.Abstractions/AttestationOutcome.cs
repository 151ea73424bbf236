using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>What an attestation did to a node's trust.</summary>
/// <param name="Trust">The node's trust afterwards.</param>
/// <param name="FailedCheck">The check that failed, or <see cref="AppraisalCheck.None"/>.</param>
/// <param name="Detail">What passed or failed, in words.</param>
[GenerateSerializer, Immutable]
public sealed record AttestationOutcome(
    [property: Id(0)] TrustStatus Trust,
    [property: Id(1)] AppraisalCheck FailedCheck,
    [property: Id(2)] string Detail);
