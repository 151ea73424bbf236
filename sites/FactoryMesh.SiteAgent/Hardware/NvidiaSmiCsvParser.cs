using System.Globalization;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// Parses the output of <c>nvidia-smi --query-gpu=&lt;fields&gt; --format=csv</c> (with or without <c>noheader</c>
/// or <c>nounits</c>). Columns are found by their header names (<c>memory.total [MiB]</c> → <c>memory.total</c>), so
/// their order does not matter; without a header the order of <see cref="Fields"/> is assumed. Units after values
/// (<c>81559 MiB</c>, <c>69.53 W</c>, <c>0 %</c>) are dropped, and <c>[N/A]</c> or <c>[Not Supported]</c> read as null.
/// </summary>
internal static class NvidiaSmiCsvParser
{
    /// <summary>The fields the agent queries, in this order.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["index", "uuid", "name", "memory.total", "memory.used", "utilization.gpu", "power.draw", "power.limit"];

    // Without these a line cannot be tied to a GPU.
    private static readonly string[] RequiredFields = ["index", "uuid", "name"];

    /// <summary>The <c>--query-gpu</c> argument.</summary>
    public static string QueryArgument => "--query-gpu=" + string.Join(',', Fields);

    /// <summary>The GPUs in <paramref name="csv"/>; throws <see cref="FormatException"/> on output it cannot read.</summary>
    public static IReadOnlyList<GpuReading> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            return [];
        }

        var columns = Fields.ToList();
        var first = Split(lines[0]);
        if (first.Any(cell => cell.StartsWith("index", StringComparison.Ordinal) || cell.StartsWith("uuid", StringComparison.Ordinal)))
        {
            columns = first.Select(HeaderName).ToList();
            lines.RemoveAt(0);
        }

        var missing = RequiredFields.Where(f => !columns.Contains(f)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"nvidia-smi output lacks the columns {string.Join(", ", missing)}.");
        }

        var readings = new List<GpuReading>(lines.Count);
        foreach (var line in lines)
        {
            var cells = Split(line);
            if (cells.Count != columns.Count)
            {
                throw new FormatException($"An nvidia-smi line has {cells.Count} values for {columns.Count} columns.");
            }

            string Cell(string field) => columns.IndexOf(field) is var i and >= 0 ? cells[i] : "[N/A]";
            readings.Add(new GpuReading(
                (int)(Number(Cell("index")) ?? throw new FormatException($"'{Cell("index")}' is not a GPU index.")),
                Cell("uuid"),
                Cell("name"),
                Number(Cell("memory.total")),
                Number(Cell("memory.used")),
                Number(Cell("utilization.gpu")),
                Number(Cell("power.draw")),
                Number(Cell("power.limit"))));
        }

        return readings;
    }

    private static List<string> Split(string line) => line.Split(',').Select(cell => cell.Trim()).ToList();

    // "memory.total [MiB]" → "memory.total"
    private static string HeaderName(string header)
    {
        var bracket = header.IndexOf('[', StringComparison.Ordinal);
        return (bracket < 0 ? header : header[..bracket]).Trim();
    }

    // "81559 MiB" → 81559; "[N/A]", "N/A", "[Not Supported]" → null
    private static double? Number(string cell)
    {
        var value = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
