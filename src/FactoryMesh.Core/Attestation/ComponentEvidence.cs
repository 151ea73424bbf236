using Orleans;

namespace FactoryMesh.Core.Attestation;

/// <summary>What verified evidence says about one attested component (the CPU TEE or one GPU).</summary>
/// <param name="Kind">The component kind reference values are keyed by: <c>cpu</c> or <c>gpu</c>.</param>
/// <param name="Id">Which one: <c>cpu</c>, or the GPU's id.</param>
/// <param name="Measurements">Measurement name to value (e.g. <c>firmware</c>, <c>driver</c>, <c>vbios</c>).</param>
/// <param name="CcModeOn">Whether the component runs in confidential-computing mode; null when unstated.</param>
/// <param name="DebugEnabled">Whether debug is enabled; null when unstated.</param>
/// <param name="Model">What the device says it is (a GPU's <c>hwmodel</c>, a CPU TEE's kind), which picks its device class; null when unstated.</param>
/// <param name="TcbStatus">The CPU TEE's TCB status as its verifier states it (<c>UpToDate</c>, <c>OutOfDate</c>, …); null when the format has none.</param>
/// <param name="TrustVector">An EAR trustworthiness vector (claim → AR4SI value); null when the format has none.</param>
/// <param name="Format">The evidence format that stated it, so a policy can appraise a verifier's devices its own way.</param>
[GenerateSerializer, Immutable]
public sealed record ComponentEvidence(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] IReadOnlyDictionary<string, string> Measurements,
    [property: Id(3)] bool? CcModeOn,
    [property: Id(4)] bool? DebugEnabled,
    [property: Id(5)] string? Model = null,
    [property: Id(6)] string? TcbStatus = null,
    [property: Id(7)] IReadOnlyDictionary<string, int>? TrustVector = null,
    [property: Id(8)] string? Format = null);
