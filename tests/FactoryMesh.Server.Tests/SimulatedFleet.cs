using System.Net.Http.Json;
using FactoryMesh.SimulatedTee;

namespace FactoryMesh.Server.Tests;

/// <summary>Measurements the test server's reference values allow, and evidence that reports them.</summary>
public static class SimulatedFleet
{
    public static readonly Dictionary<string, string> CpuMeasurements = new() { ["mrtd"] = "a1b2c3" };
    public static readonly Dictionary<string, string> GpuMeasurements = new() { ["firmware"] = "96.00.5e.00.01", ["driver"] = "550.54.15", ["vbios"] = "96.00.88.00.11" };

    public const string ReferenceValuesJson = """
        {"components": {
          "cpu": {"mrtd": [{"value": "a1b2c3"}]},
          "gpu": {"firmware": [{"value": "96.00.5e.00.01"}], "driver": [{"value": "550.54.15"}], "vbios": [{"value": "96.00.88.00.11"}]}
        }}
        """;

    /// <summary>An eight-GPU simulated-TEE node.</summary>
    public static object SimNode => new { gpuModel = "H100", gpuCount = 8, gpuMemoryGiB = 80, teeKind = "SIM", powerWatts = 10_200, costUsdPerHour = 24 };

    /// <summary>Evidence from <paramref name="device"/> answering <paramref name="nonce"/> for the eight GPUs of <see cref="SimNode"/>.</summary>
    public static string Evidence(SimulatedTeeDevice device, string nodeId, string nonce, bool debug = false, int gpuCount = 8) =>
        device.CreateEvidence(new SimulatedEvidence(nodeId, nonce, "SIM", CpuMeasurements, SimulatedGpu.Slots(gpuCount, GpuMeasurements, debug)));

    /// <summary>Challenges <paramref name="nodeId"/> and answers with <paramref name="device"/>'s evidence, as its agent would.</summary>
    public static async Task<HttpResponseMessage> AttestAsync(HttpClient client, SimulatedTeeDevice device, string nodeId, bool debug = false, int gpuCount = 8)
    {
        ArgumentNullException.ThrowIfNull(client);
        var challenge = await ApiAssert.OkJsonAsync(await client.PostAsync($"{Fleet.NodeUrl(nodeId)}/attestation/challenge", null));
        var nonce = challenge.GetProperty("nonce").GetString()!;
        return await client.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence = Evidence(device, nodeId, nonce, debug, gpuCount) });
    }
}
