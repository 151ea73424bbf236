namespace FactoryMesh.Core.Placement;

/// <summary>
/// Improves a full, feasible selection by single swaps (one chosen node out, one unchosen in) that keep the budget and the
/// spread and lower the objective, taking the best swap each round until none is left. Because the pool is in objective order,
/// only nodes ahead of the worst chosen one can improve anything, which keeps a round near O(count × rank of the worst).
/// </summary>
internal static class SwapLocalSearch
{
    /// <summary>The improved selection; <paramref name="start"/> itself when no swap helps.</summary>
    public static PoolSelection Improve(CandidatePool pool, PoolSelection start, int sites, double budget, long workLimit)
    {
        var objective = pool.Objective;
        var cost = pool.Cost;
        var color = pool.Color;
        var chosen = (int[])start.Positions.Clone();
        var inSet = new bool[pool.Count];
        var perColor = new int[pool.ColorCount];
        var covered = 0;
        foreach (var position in chosen)
        {
            inSet[position] = true;
            if (color[position] >= 0 && perColor[color[position]]++ == 0)
            {
                covered++;
            }
        }

        var spent = start.Cost;
        var work = 0L;
        var improved = false;
        while (work < workLimit)
        {
            var worst = 0.0;
            foreach (var position in chosen)
            {
                worst = Math.Max(worst, objective[position]);
            }

            var (bestGain, bestOut, bestIn) = (0.0, -1, -1);
            for (var candidate = 0; candidate < pool.Count && objective[candidate] < worst; candidate++)
            {
                if (inSet[candidate])
                {
                    continue;
                }

                for (var slot = 0; slot < chosen.Length; slot++)
                {
                    work++;
                    var leaving = chosen[slot];
                    var gain = objective[leaving] - objective[candidate];
                    if (gain <= bestGain || spent - cost[leaving] + cost[candidate] > budget)
                    {
                        continue;
                    }

                    var losesSite = color[leaving] >= 0 && perColor[color[leaving]] == 1 && color[candidate] != color[leaving];
                    var gainsSite = color[candidate] >= 0 && perColor[color[candidate]] == 0;
                    if (covered - (losesSite ? 1 : 0) + (gainsSite ? 1 : 0) < sites)
                    {
                        continue;
                    }

                    (bestGain, bestOut, bestIn) = (gain, slot, candidate);
                }
            }

            if (bestOut < 0)
            {
                break;
            }

            var removed = chosen[bestOut];
            inSet[removed] = false;
            if (color[removed] >= 0 && --perColor[color[removed]] == 0)
            {
                covered--;
            }

            inSet[bestIn] = true;
            if (color[bestIn] >= 0 && perColor[color[bestIn]]++ == 0)
            {
                covered++;
            }

            chosen[bestOut] = bestIn;
            spent += cost[bestIn] - cost[removed];
            improved = true;
        }

        return improved ? PoolSelection.Of(pool, chosen) : start;
    }
}
