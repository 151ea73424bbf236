using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// Makes the tenant's weights mean what they say. Cost per token, energy per token and carbon per token have different units
/// and magnitudes, so each is divided by its lowest value among the eligible candidates (the best node scores 1 on it, a node
/// twice as bad scores 2) and the weights are scaled to sum to 1. A replica's objective is the weighted sum of the three ratios.
/// </summary>
/// <param name="CostWeight">Weight of cost per token, of a total of 1.</param>
/// <param name="EnergyWeight">Weight of energy per token, of a total of 1.</param>
/// <param name="CarbonWeight">Weight of carbon per token, of a total of 1.</param>
/// <param name="CostUsdPerMTokUnit">The cost per million tokens that scores 1.</param>
/// <param name="JoulesPerTokenUnit">The energy per token that scores 1.</param>
/// <param name="GramsCo2PerTokenUnit">The carbon per token that scores 1.</param>
internal readonly record struct ObjectiveScale(
    double CostWeight, double EnergyWeight, double CarbonWeight,
    double CostUsdPerMTokUnit, double JoulesPerTokenUnit, double GramsCo2PerTokenUnit)
{
    /// <summary>The objective of a replica with these figures; lower is better.</summary>
    public double Score(double costUsdPerMTok, double joulesPerToken, double gramsCo2PerToken) =>
        CostWeight * Ratio(costUsdPerMTok, CostUsdPerMTokUnit)
        + EnergyWeight * Ratio(joulesPerToken, JoulesPerTokenUnit)
        + CarbonWeight * Ratio(gramsCo2PerToken, GramsCo2PerTokenUnit);

    /// <summary>Derives the scale from the eligible candidates of <paramref name="problem"/> and scores each of them.</summary>
    public static ObjectiveScale Apply(PlacementProblem problem, ObjectiveWeights weights)
    {
        var count = problem.EligibleCount;
        var scale = new ObjectiveScale(0, 0, 0,
            SmallestPositive(problem.CostUsdPerMTok.AsSpan(0, count)),
            SmallestPositive(problem.JoulesPerToken.AsSpan(0, count)),
            SmallestPositive(problem.GramsCo2PerToken.AsSpan(0, count)));
        var (cost, energy, carbon) = (Sanitize(weights.Cost), Sanitize(weights.Energy), Sanitize(weights.Carbon));
        var total = cost + energy + carbon;
        // A policy passes validation only with some positive weight; should one slip through without, cost decides, as it
        // does for a tenant that states no weights at all.
        scale = total > 0
            ? scale with { CostWeight = cost / total, EnergyWeight = energy / total, CarbonWeight = carbon / total }
            : scale with { CostWeight = 1 };
        for (var i = 0; i < count; i++)
        {
            problem.Objective[i] = scale.Score(problem.CostUsdPerMTok[i], problem.JoulesPerToken[i], problem.GramsCo2PerToken[i]);
        }

        return scale;
    }

    // The minimum is the natural unit, but a free or carbon-free node would make it zero; then the smallest positive value is
    // the unit and such nodes score 0 on that term, better than any other. If every value is zero the term cannot tell nodes
    // apart and scores 0 for all (the unit is infinite).
    private static double SmallestPositive(ReadOnlySpan<double> values)
    {
        var smallest = double.PositiveInfinity;
        foreach (var value in values)
        {
            if (value > 0 && value < smallest)
            {
                smallest = value;
            }
        }

        return smallest;
    }

    private static double Ratio(double value, double unit) => double.IsPositiveInfinity(unit) ? 0 : value / unit;

    private static double Sanitize(double weight) => double.IsFinite(weight) && weight > 0 ? weight : 0;
}
