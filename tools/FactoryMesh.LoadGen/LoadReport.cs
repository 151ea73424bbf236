using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.LoadGen;

/// <summary>The runs side by side: median and worst over runs for each figure, ratios to the same run's baseline, the machine.</summary>
internal static class LoadReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Markdown(LoadGenOptions options, IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Fleet: {options.Sites} sites x {options.NodesPerSite} nodes = {options.TotalNodes}; storage {options.Storage}; heartbeat interval {options.HeartbeatIntervalSeconds} s, grace {options.GraceSeconds} s; steady {options.SteadySeconds} s at {options.SteadyRate}/s offered, capacity and baseline phases {options.BaselineSeconds} s each; {runs.Count} run(s){(options.ServerEnvironment.Count == 0 ? string.Empty : "; server environment " + string.Join(' ', options.ServerEnvironment.Select(e => $"{e.Key}={e.Value}")))}");
        text.AppendLine();
        text.AppendLine("| measure | median over runs | worst run | per run |");
        text.AppendLine("| --- | --- | --- | --- |");
        Row(text, "registration, nodes/s", runs, r => r.RegistrationNodesPerSecond, lowerIsWorse: true);
        Row(text, "registration, seconds for the fleet", runs, r => r.RegistrationSeconds, lowerIsWorse: false);
        Row(text, "registration request p99, ms", runs, r => r.RegistrationP99Ms, lowerIsWorse: false);
        Row(text, "capacity: baseline (HTTP + JSON only), heartbeats/s", runs, r => r.BaselineMaxHeartbeatsPerSecond, lowerIsWorse: true);
        Row(text, "capacity: heartbeats/s accepted", runs, r => r.MaxHeartbeatsPerSecond, lowerIsWorse: true);
        Row(text, "capacity / baseline capacity", runs, r => r.MaxHeartbeatsPerSecond / r.BaselineMaxHeartbeatsPerSecond, lowerIsWorse: true);
        Row(text, "capacity: request p99 at saturation, ms", runs, r => r.MaxP99Ms, lowerIsWorse: false);
        Row(text, "steady: offered heartbeats/s", runs, r => r.SteadyOfferedPerSecond, lowerIsWorse: true);
        Row(text, "steady: heartbeats/s accepted", runs, r => r.SteadyHeartbeatsPerSecond, lowerIsWorse: true);
        Row(text, "steady: request p50, ms", runs, r => r.SteadyP50Ms, lowerIsWorse: false);
        Row(text, "steady: request p99, ms", runs, r => r.SteadyP99Ms, lowerIsWorse: false);
        Row(text, "baseline request p99 at the same offered load, ms", runs, r => r.BaselineP99Ms, lowerIsWorse: false);
        Row(text, "steady p99 / baseline p99", runs, r => r.SteadyP99Ms / r.BaselineP99Ms, lowerIsWorse: false);
        Row(text, "steady: last 10 s / first 10 s", runs, r => r.SteadyLastOverFirst, lowerIsWorse: true);
        Row(text, "heartbeat errors", runs, r => r.SteadyErrors, lowerIsWorse: false);
        Row(text, "storm: s from first beat to all Ready", runs, r => r.StormSecondsToAllReady, lowerIsWorse: false);
        Row(text, "storm: s after the first round to all Ready", runs, r => r.StormSecondsAfterFirstRound, lowerIsWorse: false);
        Row(text, "storm: slowest request, ms", runs, r => r.StormMaxRequestMs, lowerIsWorse: false);
        Row(text, "storm: request p99, ms", runs, r => r.StormP99Ms, lowerIsWorse: false);
        Row(text, "restart: s from process start to all listed and Ready", runs, r => r.RestartSecondsToListed, lowerIsWorse: false);
        Row(text, "server RSS with the fleet active, MiB", runs, r => r.ResidentBytesLoaded / 1048576.0, lowerIsWorse: false);
        Row(text, "server RSS per node, bytes", runs, r => r.BytesPerNode, lowerIsWorse: false);
        text.AppendLine();
        for (var i = 0; i < runs.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Run {i + 1} steady windows (heartbeats/s per 10 s): {string.Join(", ", runs[i].SteadyWindows.Select(w => w.ToString("F0", CultureInfo.InvariantCulture)))}");
        }

        return text.ToString();
    }

    public static string Json(LoadGenOptions options, IReadOnlyList<RunResult> runs) =>
        JsonSerializer.Serialize(new { machine = Machine(), options, runs }, Indented);

    private static void Row(StringBuilder text, string name, IReadOnlyList<RunResult> runs, Func<RunResult, double> figure, bool lowerIsWorse)
    {
        var values = runs.Select(figure).ToArray();
        var worst = lowerIsWorse ? values.Min() : values.Max();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format(Percentiles.Median(values))} | {Format(worst)} | {string.Join(" / ", values.Select(Format))} |");
    }

    private static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : null;
        var gib = memory is null ? "?" : (long.Parse(memory, CultureInfo.InvariantCulture) / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {gib} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
