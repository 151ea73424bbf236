namespace FactoryMesh.Core.Placement;

/// <summary>
/// Improves a full, feasible selection by swaps that keep the budget and the spread and lower the objective, taking the best
/// swap each round until none is left: first single swaps (one chosen node out, one unchosen in), then, when none helps, pair
/// swaps (two out, two in), which is what a tight budget needs to trade one dear, good node and one cheap, poor node for two
/// middling ones. Because the pool is in objective order, the scans stop as soon as the nodes coming in can no longer beat
/// those going out. A work limit bounds the whole search.
/// </summary>
internal sealed class SwapLocalSearch
{
    private readonly CandidatePool _pool;
    private readonly int _sites;
    private readonly double _budget;
    private readonly int[] _chosen;
    private readonly bool[] _inSet;
    private readonly int[] _perColor;
    private int _covered;
    private double _spent;
    private long _work;

    private SwapLocalSearch(CandidatePool pool, PoolSelection start, int sites, double budget)
    {
        _pool = pool;
        _sites = sites;
        _budget = budget;
        _chosen = (int[])start.Positions.Clone();
        _inSet = new bool[pool.Count];
        _perColor = new int[pool.ColorCount];
        foreach (var position in _chosen)
        {
            _inSet[position] = true;
            AddColor(position);
        }

        _spent = start.Cost;
    }

    /// <summary>The improved selection; <paramref name="start"/> itself when no swap helps.</summary>
    public static PoolSelection Improve(CandidatePool pool, PoolSelection start, int sites, double budget, long workLimit)
    {
        var search = new SwapLocalSearch(pool, start, sites, budget);
        var improved = false;
        while (search._work < workLimit && (search.SingleSwap() || search.PairSwap(workLimit)))
        {
            improved = true;
        }

        return improved ? PoolSelection.Of(pool, search._chosen) : start;
    }

    private bool SingleSwap()
    {
        var objective = _pool.Objective;
        var cost = _pool.Cost;
        var worst = Worst();
        var (bestGain, bestSlot, bestIn) = (0.0, -1, -1);
        for (var candidate = 0; candidate < _pool.Count && objective[candidate] < worst; candidate++)
        {
            if (_inSet[candidate])
            {
                continue;
            }

            for (var slot = 0; slot < _chosen.Length; slot++)
            {
                _work++;
                var leaving = _chosen[slot];
                var gain = objective[leaving] - objective[candidate];
                if (gain > bestGain && _spent - cost[leaving] + cost[candidate] <= _budget && KeepsSpread([leaving], [candidate]))
                {
                    (bestGain, bestSlot, bestIn) = (gain, slot, candidate);
                }
            }
        }

        if (bestSlot < 0)
        {
            return false;
        }

        Move(bestSlot, bestIn);
        return true;
    }

    private bool PairSwap(long workLimit)
    {
        var objective = _pool.Objective;
        var cost = _pool.Cost;
        var (bestGain, bestSlots, bestIn) = (0.0, (-1, -1), (-1, -1));
        for (var first = 0; first < _chosen.Length; first++)
        {
            for (var second = first + 1; second < _chosen.Length; second++)
            {
                var (a, b) = (_chosen[first], _chosen[second]);
                var leavingObjective = objective[a] + objective[b];
                var freed = cost[a] + cost[b];
                // Coming in in position order, the first node is the better one: it alone must beat half of what leaves.
                for (var x = 0; x < _pool.Count && 2 * objective[x] < leavingObjective - bestGain; x++)
                {
                    if (_inSet[x])
                    {
                        continue;
                    }

                    for (var y = x + 1; y < _pool.Count && objective[x] + objective[y] < leavingObjective - bestGain; y++)
                    {
                        if (++_work > workLimit)
                        {
                            return Apply(bestSlots, bestIn);
                        }

                        if (!_inSet[y] && _spent - freed + cost[x] + cost[y] <= _budget && KeepsSpread([a, b], [x, y]))
                        {
                            (bestGain, bestSlots, bestIn) = (leavingObjective - objective[x] - objective[y], (first, second), (x, y));
                        }
                    }
                }
            }
        }

        return Apply(bestSlots, bestIn);
    }

    private bool Apply((int First, int Second) slots, (int X, int Y) entering)
    {
        if (slots.First < 0)
        {
            return false;
        }

        Move(slots.First, entering.X);
        Move(slots.Second, entering.Y);
        return true;
    }

    private double Worst()
    {
        var worst = double.NegativeInfinity;
        foreach (var position in _chosen)
        {
            worst = Math.Max(worst, _pool.Objective[position]);
        }

        return worst;
    }

    // Whether the sites still covered after the swap are enough, found by making the swap's colour changes and undoing them.
    private bool KeepsSpread(ReadOnlySpan<int> leaving, ReadOnlySpan<int> entering)
    {
        if (_sites == 0)
        {
            return true;
        }

        foreach (var position in leaving)
        {
            RemoveColor(position);
        }

        foreach (var position in entering)
        {
            AddColor(position);
        }

        var enough = _covered >= _sites;
        foreach (var position in entering)
        {
            RemoveColor(position);
        }

        foreach (var position in leaving)
        {
            AddColor(position);
        }

        return enough;
    }

    private void Move(int slot, int entering)
    {
        var leaving = _chosen[slot];
        _inSet[leaving] = false;
        RemoveColor(leaving);
        _inSet[entering] = true;
        AddColor(entering);
        _chosen[slot] = entering;
        _spent += _pool.Cost[entering] - _pool.Cost[leaving];
    }

    private void AddColor(int position)
    {
        var color = _pool.Color[position];
        if (color >= 0 && _perColor[color]++ == 0)
        {
            _covered++;
        }
    }

    private void RemoveColor(int position)
    {
        var color = _pool.Color[position];
        if (color >= 0 && --_perColor[color] == 0)
        {
            _covered--;
        }
    }
}
