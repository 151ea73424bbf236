namespace FactoryMesh.SimulatedTee;

/// <summary>One GPU's part of simulated evidence.</summary>
/// <param name="Id">The GPU's id, e.g. <c>GPU-0a1b…</c>.</param>
/// <param name="Measurements">firmware, driver, vbios and their values.</param>
/// <param name="CcModeOn">Whether the GPU runs in confidential-computing mode.</param>
/// <param name="Debug">Whether debug is enabled.</param>
/// <param name="NonceOverride">A nonce to report instead of the one derived from the challenge (a fault).</param>
public sealed record SimulatedGpu(
    string Id,
    IReadOnlyDictionary<string, string> Measurements,
    bool CcModeOn = true,
    bool Debug = false,
    string? NonceOverride = null);
