namespace FactoryMesh.Core.Placement;

/// <summary>
/// Shrinks a budgeted instance without losing its optimum. Node a dominates node b when a is no worse on objective and on cost
/// (ties going to the lower node id) and choosing a instead of b cannot hurt the spread: same site, or spread not asked for.
/// A node dominated by at least <c>count</c> others can be dropped: in any set of <c>count</c> holding it, some dominator is
/// left out, and swapping it in keeps every constraint and does not worsen the objective. With few replicas per model and
/// fleets built from a few node types per site, this leaves a handful of nodes per site, whatever the fleet's size.
/// </summary>
internal static class DominancePruning
{
    /// <summary>The eligible nodes of <paramref name="problem"/> that survive, as a pool in objective-then-node-id order.</summary>
    public static CandidatePool Reduce(PlacementProblem problem, int count, int sites)
    {
        var eligible = problem.EligibleCount;
        var objective = problem.Objective;
        var cost = problem.CostUsdPerHour;
        // Without spread every node competes with every other: one group. With spread, a node only stands in for its own site;
        // nodes of sites the kept replicas already cover add no site, so they share a group.
        int Group(int e) => sites > 0 ? problem.Color[e] : 0;

        var byGroup = new int[eligible];
        for (var e = 0; e < eligible; e++)
        {
            byGroup[e] = e;
        }

        Array.Sort(byGroup, (a, b) =>
        {
            var c = Group(a).CompareTo(Group(b));
            if (c == 0)
            {
                c = objective[a].CompareTo(objective[b]);
            }

            if (c == 0)
            {
                c = cost[a].CompareTo(cost[b]);
            }

            return c != 0 ? c : string.CompareOrdinal(problem.NodeIdOf(a), problem.NodeIdOf(b));
        });

        // Walking a group in that order, every earlier node is no worse on objective, so the earlier nodes that dominate this one
        // are exactly those no dearer. Keeping the `count` lowest costs seen so far in a max-heap answers "at least `count` of them?".
        var survivors = new List<int>();
        var cheapest = new PriorityQueue<double, double>(Comparer<double>.Create((x, y) => y.CompareTo(x)));
        for (var i = 0; i < eligible; i++)
        {
            var e = byGroup[i];
            if (i == 0 || Group(byGroup[i - 1]) != Group(e))
            {
                cheapest.Clear();
            }

            var dominated = cheapest.Count == count && cheapest.Peek() <= cost[e];
            if (!dominated)
            {
                survivors.Add(e);
            }

            if (cheapest.Count < count)
            {
                cheapest.Enqueue(cost[e], cost[e]);
            }
            else if (count > 0 && cost[e] < cheapest.Peek())
            {
                cheapest.DequeueEnqueue(cost[e], cost[e]);
            }
        }

        var inOrder = survivors.ToArray();
        Array.Sort(inOrder, (a, b) => new ByKeyThenNodeId(objective, problem).Compare(a, b));
        return new CandidatePool(problem, inOrder);
    }
}
