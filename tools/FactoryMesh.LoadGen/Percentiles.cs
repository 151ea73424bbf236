namespace FactoryMesh.LoadGen;

/// <summary>Nearest-rank order statistics: the p-th percentile is the smallest value at or above p % of the sample.</summary>
internal static class Percentiles
{
    public static double Of(IEnumerable<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Of(values, 50);
}
