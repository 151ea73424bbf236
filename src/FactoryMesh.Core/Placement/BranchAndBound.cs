namespace FactoryMesh.Core.Placement;

/// <summary>
/// The exact search for a budgeted placement: depth-first over the pool in objective order, each node deciding one candidate
/// in or out (in first, so good sets come early), starting from the heuristic's set as the incumbent. A branch is cut when it
/// cannot be completed (too few candidates, sites or budget left, the last two judged by the cheapest completion) or when a
/// lower bound on its best completion is no better than the incumbent. The bound is the larger of
/// <list type="bullet">
/// <item>the next k objectives in order (the k best left, ignoring budget and spread), and</item>
/// <item>the Lagrangian bound at the heuristic's rate λ: the k least values of objective + λ × cost left, less λ × budget left,
/// which no completion within budget can beat.</item>
/// </list>
/// Both are table look-ups, precomputed per suffix in O(n² + n × count). Exhausting the tree proves the incumbent optimal;
/// a node limit keeps the worst case bounded, in which case the incumbent is returned unproven.
/// </summary>
internal sealed class BranchAndBound
{
    private readonly CandidatePool _pool;
    private readonly int _count;
    private readonly int _sites;
    private readonly double _budget;
    private readonly double _rate;
    private readonly long _nodeLimit;
    private readonly double[] _objectivePrefix;
    private readonly double[][] _cheapestSuffix;
    private readonly double[][] _pricedSuffix;
    private readonly int[] _colorsInSuffix;
    private readonly int[] _perColor;
    private readonly int[] _chosen;
    private int[] _best;
    private double _bestObjective;
    private long _nodes;
    private bool _aborted;

    private BranchAndBound(CandidatePool pool, int count, int sites, double budget, double rate, long nodeLimit, PoolSelection incumbent)
    {
        _pool = pool;
        _count = count;
        _sites = sites;
        _budget = budget;
        _rate = rate;
        _nodeLimit = nodeLimit;
        var n = pool.Count;
        _objectivePrefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            _objectivePrefix[i + 1] = _objectivePrefix[i] + pool.Objective[i];
        }

        var priced = new double[n];
        for (var i = 0; i < n; i++)
        {
            priced[i] = pool.Objective[i] + rate * pool.Cost[i];
        }

        _cheapestSuffix = LeastSums(pool.Cost, count);
        _pricedSuffix = LeastSums(priced, count);
        _colorsInSuffix = new int[n + 1];
        var seen = new bool[pool.ColorCount];
        for (var i = n - 1; i >= 0; i--)
        {
            var color = pool.Color[i];
            _colorsInSuffix[i] = _colorsInSuffix[i + 1] + (color >= 0 && !seen[color] ? 1 : 0);
            if (color >= 0)
            {
                seen[color] = true;
            }
        }

        _perColor = new int[pool.ColorCount];
        _chosen = new int[count];
        _best = incumbent.Positions;
        _bestObjective = incumbent.Positions.Length == count && incumbent.Cost <= budget ? incumbent.Objective : double.PositiveInfinity;
    }

    /// <summary>
    /// The best selection of <paramref name="count"/> from <paramref name="pool"/> covering <paramref name="sites"/> colours within
    /// <paramref name="budget"/>, and whether the search finished (so the result is proven optimal).
    /// </summary>
    public static (PoolSelection Best, bool Proven) Solve(CandidatePool pool, int count, int sites, double budget, double rate, long nodeLimit, PoolSelection incumbent)
    {
        var search = new BranchAndBound(pool, count, sites, budget, rate, nodeLimit, incumbent);
        search.Branch(0, 0, 0, 0, 0);
        var best = ReferenceEquals(search._best, incumbent.Positions) ? incumbent : PoolSelection.Of(pool, search._best);
        return (best, !search._aborted);
    }

    private void Branch(int next, int taken, double spent, double objective, int covered)
    {
        if (_aborted || ++_nodes > _nodeLimit)
        {
            _aborted = true;
            return;
        }

        if (taken == _count)
        {
            // Every branch that reaches here has the count, the sites and the budget; only the objective is left to compare.
            if (objective < _bestObjective)
            {
                _bestObjective = objective;
                _best = (int[])_chosen.Clone();
            }

            return;
        }

        var left = _count - taken;
        var missing = Math.Max(0, _sites - covered);
        if (_pool.Count - next < left || missing > left || missing > _colorsInSuffix[next]
            || spent + _cheapestSuffix[next][left] > _budget)
        {
            return;
        }

        var bound = objective + Math.Max(
            _objectivePrefix[next + left] - _objectivePrefix[next],
            _pricedSuffix[next][left] - _rate * (_budget - spent));
        if (bound >= _bestObjective)
        {
            return;
        }

        var cost = _pool.Cost[next];
        var color = _pool.Color[next];
        if (spent + cost <= _budget)
        {
            var addsSite = color >= 0 && _perColor[color] == 0;
            var coveredAfter = covered + (addsSite ? 1 : 0);
            if (left - 1 >= Math.Max(0, _sites - coveredAfter))
            {
                _chosen[taken] = next;
                if (color >= 0)
                {
                    _perColor[color]++;
                }

                Branch(next + 1, taken + 1, spent + cost, objective + _pool.Objective[next], coveredAfter);
                if (color >= 0)
                {
                    _perColor[color]--;
                }
            }
        }

        Branch(next + 1, taken, spent, objective, covered);
    }

    // For every suffix start i and every k up to `count`, the sum of the k least values from i on (infinite when fewer are left).
    private static double[][] LeastSums(double[] values, int count)
    {
        var n = values.Length;
        var sums = new double[n + 1][];
        var sorted = new List<double>(n);
        for (var i = n; i >= 0; i--)
        {
            if (i < n)
            {
                var at = sorted.BinarySearch(values[i]);
                sorted.Insert(at < 0 ? ~at : at, values[i]);
            }

            var row = new double[count + 1];
            for (var k = 1; k <= count; k++)
            {
                row[k] = k <= sorted.Count ? row[k - 1] + sorted[k - 1] : double.PositiveInfinity;
            }

            sums[i] = row;
        }

        return sums;
    }
}
