using System.Globalization;
using System.Text;

namespace FactoryMesh.LoadGen;

/// <summary>The scale-out runs as a Markdown table: each run's figures per configuration, then medians and the ratio to one silo.</summary>
internal static class ScaleOutReport
{
    public static string Markdown(LoadGenOptions options, IReadOnlyList<IReadOnlyList<ScaleOutResult>> runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Scale-out: {options.Sites} sites x {options.NodesPerSite} nodes, capacity phase {options.SteadySeconds} s, {runs.Count} runs");
        text.AppendLine();
        text.AppendLine("| silos | heartbeats/s (median) | min–max | x one silo | server CPU ms per 1,000 heartbeats (median) | batch p50 / p99 ms (median) | errors |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        var single = Median(runs.Select(r => r.First(x => x.Silos == 1).HeartbeatsPerSecond));
        foreach (var silos in runs[0].Select(r => r.Silos))
        {
            var mine = runs.Select(r => r.First(x => x.Silos == silos)).ToList();
            var rate = Median(mine.Select(m => m.HeartbeatsPerSecond));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {silos} | {rate:F0} | {mine.Min(m => m.HeartbeatsPerSecond):F0}–{mine.Max(m => m.HeartbeatsPerSecond):F0} | {rate / single:F2} | {Median(mine.Select(m => m.CpuMsPerThousand)):F0} | {Median(mine.Select(m => m.P50Ms)):F0} / {Median(mine.Select(m => m.P99Ms)):F0} | {mine.Sum(m => m.Errors)} |");
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<double> values) => Percentiles.Median(values);
}
