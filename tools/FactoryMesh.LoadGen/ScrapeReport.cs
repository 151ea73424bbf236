using System.Globalization;
using System.Text;

namespace FactoryMesh.LoadGen;

/// <summary>The scrape runs as a Markdown table: medians per configuration and the ratio to the server without per-node metrics.</summary>
internal static class ScrapeReport
{
    public static string Markdown(LoadGenOptions options, IReadOnlyList<IReadOnlyList<ScrapeResult>> runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Scrape: {options.Sites} sites x {options.NodesPerSite} nodes = {options.TotalNodes}, {runs.Count} runs, 20 scrapes each");
        text.AppendLine();
        text.AppendLine("| per-node metrics | scrape p50 ms (median) | scrape p99 ms (max) | x off | MB per scrape | node series | server CPU ms per snapshot (median) | x off | resident MB (median) | errors |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var off = runs.Select(r => r.First(x => !x.NodeMetrics)).ToList();
        foreach (var on in new[] { false, true })
        {
            var mine = runs.Select(r => r.First(x => x.NodeMetrics == on)).ToList();
            var p50 = Percentiles.Median(mine.Select(m => m.P50Ms));
            var cpu = Percentiles.Median(mine.Select(m => m.CpuMsPerSnapshot));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {(on ? "on" : "off")} | {p50:F0} | {mine.Max(m => m.P99Ms):F0} | {p50 / Percentiles.Median(off.Select(m => m.P50Ms)):F1} | {mine.Max(m => m.Bytes) / 1e6:F1} | {mine.Max(m => m.NodeSeries)} | {cpu:F0} | {cpu / Math.Max(Percentiles.Median(off.Select(m => m.CpuMsPerSnapshot)), 0.001):F1} | {Percentiles.Median(mine.Select(m => (double)m.ResidentBytes)) / 1e6:F0} | {mine.Sum(m => m.Errors)} |");
        }

        return text.ToString();
    }
}
