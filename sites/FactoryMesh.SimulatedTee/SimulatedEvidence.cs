namespace FactoryMesh.SimulatedTee;

/// <summary>What a simulated TEE reports in answer to one challenge.</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Nonce">The challenge nonce.</param>
/// <param name="TeeKind">The TEE kind, e.g. <c>SIM</c>.</param>
/// <param name="CpuMeasurements">The CPU TEE's measurements.</param>
/// <param name="Gpus">Every GPU of the node.</param>
/// <param name="CpuDebug">Whether the CPU TEE runs with debug enabled.</param>
public sealed record SimulatedEvidence(
    string NodeId,
    string Nonce,
    string TeeKind,
    IReadOnlyDictionary<string, string> CpuMeasurements,
    IReadOnlyList<SimulatedGpu> Gpus,
    bool CpuDebug = false);
