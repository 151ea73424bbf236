using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FactoryMesh.ServerHost;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// <c>sites/demo.sh</c> as a newcomer runs it, unattended and with short timings: five sites' agents, two tenants, an
/// encrypted model each, placement, key release, and a node that stops attesting. What the script says it did is then
/// checked apart from the script: the server is started again on the demo's data folder and its models and audit
/// ledger must show the story (the script's own checks read the same API, so they are not trusted here).
/// It runs alone: its 20 s attestation freshness is as tight as <see cref="FleetLifecycleTests"/>'.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed partial class DemoScriptTests
{
    private const string EuModel = "eu-bank/assistant-eu";
    private const string GlobalModel = "global-lab/summarizer";

    // The EU sites whose agents answer in a verifier's format, so their nodes report TDX; eu-fra-1 answers in sim-jws (SIM).
    private static readonly string[] EuTdxSites = ["eu-par-1", "eu-sto-1"];

    [Fact]
    public async Task The_demo_places_both_models_releases_their_keys_and_moves_the_replica_of_a_node_that_stops_attesting()
    {
        var demo = Directory.CreateTempSubdirectory("fm-demo-").FullName;
        try
        {
            var (exitCode, output) = await RunDemoAsync(demo);
            Assert.True(exitCode == 0, $"demo.sh exited {exitCode}:\n{output}\n{ServerLogTail(demo)}");
            Assert.Contains("demo: finished: models placed, keys released", output, StringComparison.Ordinal);
            var victim = VictimLine().Match(output) is { Success: true } match ? match.Groups["node"].Value : throw new Xunit.Sdk.XunitException($"no fault injected:\n{output}");

            await using var server = await ServerProcess.StartAsync(Path.Combine(demo, "server"));
            using var api = server.Client(server.OperatorToken);
            var eu = await ReplicasAsync(api, EuModel);
            var global = await ReplicasAsync(api, GlobalModel);
            Assert.Equal(2, eu.Count);
            Assert.Equal(2, global.Count);
            Assert.DoesNotContain(victim, eu);
            Assert.All(eu, node => Assert.Contains(node.Split('/')[0], EuTdxSites));

            // The node that stopped attesting went Stale and lost its replica; every replica now running got its key.
            var victimRecords = await AuditAsync(api, victim);
            Assert.Contains(victimRecords, e => Kind(e) == "transition" && Text(e, "newState") == "Stale");
            Assert.Contains(victimRecords, e => Kind(e) == "replica-evicted" && Text(e, "verdict") == EuModel);
            foreach (var (model, nodes) in new[] { (EuModel, eu), (GlobalModel, global) })
            {
                foreach (var node in nodes)
                {
                    var records = await AuditAsync(api, node);
                    Assert.Contains(records, e => Kind(e) == "key-release" && Text(e, "reason").StartsWith($"{model} epoch ", StringComparison.Ordinal));
                }
            }

            var artifact = await File.ReadAllBytesAsync(Path.Combine(demo, "artifacts", "eu-bank", "assistant-eu.fma"));
            Assert.Equal("FMA1"u8.ToArray(), artifact[..4]); // sealed, not the plaintext weights
        }
        finally
        {
            Directory.Delete(demo, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(string demo)
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var ports = ServerPorts.Free();
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(root, "sites", "demo.sh"));
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["DEMO_DIR"] = demo,
            ["DEMO_PORT"] = ports.Http.ToString(CultureInfo.InvariantCulture),
            ["DEMO_SILO_PORT"] = ports.Silo.ToString(CultureInfo.InvariantCulture),
            ["DEMO_BUILD"] = "0",
            ["DEMO_CONFIGURATION"] = configuration,
            ["DEMO_NODES"] = "2",
            ["DEMO_MAX_AGE_SECONDS"] = "20",
            ["DEMO_GRACE_SECONDS"] = "8",
            ["DEMO_HEARTBEAT_SECONDS"] = "1",
            ["DEMO_FAULT_AFTER_SECONDS"] = "5",
            ["DEMO_STEP_TIMEOUT_SECONDS"] = "120",
            ["DEMO_UNATTENDED"] = "1",
        })
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"demo.sh did not finish within 8 minutes:\n{Snapshot(output)}\n{ServerLogTail(demo)}");
        }

        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, Snapshot(output));
    }

    private static async Task<IReadOnlyList<string>> ReplicasAsync(HttpClient api, string model)
    {
        var view = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{model.Replace("/", "/models/", StringComparison.Ordinal)}");
        return [.. view.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("nodeId").GetString()!)];
    }

    private static async Task<IReadOnlyList<JsonElement>> AuditAsync(HttpClient api, string nodeId)
    {
        var records = await api.GetFromJsonAsync<JsonElement>($"/api/v1/audit?nodeId={Uri.EscapeDataString(nodeId)}&limit=1000");
        return [.. records.EnumerateArray().Select(r => r.GetProperty("entry"))];
    }

    private static string Kind(JsonElement entry) => Text(entry, "kind");

    private static string Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FactoryMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FactoryMesh.sln above {AppContext.BaseDirectory}.");
    }

    private static string ServerLogTail(string demo)
    {
        var log = Path.Combine(demo, "server.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(40)) : "";
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    [GeneratedRegex(@"In \d+ s, (?<node>\S+) stops attesting")]
    private static partial Regex VictimLine();
}
