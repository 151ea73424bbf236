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
    string? NonceOverride = null)
{
    /// <summary>
    /// <paramref name="count"/> GPUs <c>GPU-0001</c>, <c>GPU-0002</c>, … with the same measurements: evidence must cover
    /// every GPU a node is registered with.
    /// </summary>
    public static IReadOnlyList<SimulatedGpu> Slots(int count, IReadOnlyDictionary<string, string> measurements, bool debug = false) =>
        Enumerable.Range(1, count).Select(i => new SimulatedGpu($"GPU-{i:0000}", measurements, Debug: debug)).ToList();
}
