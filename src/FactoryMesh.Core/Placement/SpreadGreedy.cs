namespace FactoryMesh.Core.Placement;

/// <summary>
/// Choosing <c>count</c> items of least total key that span at least <c>sites</c> distinct colours (sites not yet covered),
/// without a budget, is a minimum-weight basis problem: the sets of at most <c>count</c> items that hold a rainbow of
/// <c>min(colours, sites)</c> and at most <c>count − sites</c> others are the independent sets of the union of a truncated
/// partition matroid and a uniform matroid. Greedy in key order (accept an item while the set stays independent) is therefore
/// optimal, and since an accepted item is either among the best <c>count</c> overall or the best of its colour, only that
/// shortlist needs sorting: O(n log count) over n items. This is what makes unbudgeted placement exact at any fleet size.
/// </summary>
internal static class SpreadGreedy
{
    /// <summary>
    /// The optimal set: <paramref name="count"/> items (no more than there are) spanning at least <paramref name="sites"/> colours,
    /// least total key under <paramref name="order"/>. The caller makes sure <paramref name="sites"/> ≤ <paramref name="count"/> and
    /// that that many colours exist. Returns item indices in order.
    /// </summary>
    public static int[] Select<TOrder>(int itemCount, ReadOnlySpan<int> colors, int colorCount, int count, int sites, TOrder order)
        where TOrder : struct, IItemOrder
    {
        var shortlist = Shortlist(itemCount, colors, colorCount, count, sites > 0, order);
        var chosen = new List<int>(Math.Min(count, itemCount));
        var used = new bool[colorCount];
        var covered = 0;
        foreach (var item in shortlist)
        {
            if (chosen.Count == count)
            {
                break;
            }

            if (Fits(colors[item], used, covered, chosen.Count, count, sites, out var adds))
            {
                chosen.Add(item);
                if (adds)
                {
                    used[colors[item]] = true;
                    covered++;
                }
            }
        }

        return [.. chosen];
    }

    /// <summary>
    /// Plain greedy ("first fit"): walk the items in <paramref name="order"/> and take each one that still fits the budget and
    /// leaves room for the sites still missing, with no look-ahead. It can end short of <paramref name="count"/>; the heuristic
    /// keeps it as a floor it must never fall below.
    /// </summary>
    public static int[] FirstFit(ReadOnlySpan<int> walk, ReadOnlySpan<int> colors, ReadOnlySpan<double> costs, int colorCount, int count, int sites, double budget)
    {
        var chosen = new List<int>(count);
        var used = new bool[colorCount];
        var covered = 0;
        var spent = 0.0;
        foreach (var item in walk)
        {
            if (chosen.Count == count)
            {
                break;
            }

            if (spent + costs[item] <= budget && Fits(colors[item], used, covered, chosen.Count, count, sites, out var adds))
            {
                chosen.Add(item);
                spent += costs[item];
                if (adds)
                {
                    used[colors[item]] = true;
                    covered++;
                }
            }
        }

        return [.. chosen];
    }

    /// <summary>The best <paramref name="count"/> items under <paramref name="order"/>, ignoring colours, in order.</summary>
    public static int[] Best<TOrder>(int itemCount, int count, TOrder order) where TOrder : struct, IItemOrder =>
        Shortlist(itemCount, default, 0, count, false, order);

    /// <summary>
    /// Whether a set of <paramref name="chosenCount"/> items covering <paramref name="covered"/> colours stays independent when an
    /// item of <paramref name="color"/> joins: after it, the places left must still be enough for the colours still missing.
    /// </summary>
    public static bool Fits(int color, bool[] used, int covered, int chosenCount, int count, int sites, out bool addsColor)
    {
        addsColor = color >= 0 && !used[color];
        var coveredAfter = covered + (addsColor ? 1 : 0);
        return count - (chosenCount + 1) >= Math.Max(0, sites - coveredAfter);
    }

    // The best `count` items by a bounded max-heap, plus each colour's best when colours matter, sorted.
    private static int[] Shortlist<TOrder>(int itemCount, ReadOnlySpan<int> colors, int colorCount, int count, bool withColors, TOrder order)
        where TOrder : struct, IItemOrder
    {
        var heapSize = Math.Min(count, itemCount);
        var heap = new int[heapSize];
        var size = 0;
        var bestOfColor = withColors ? new int[colorCount] : [];
        Array.Fill(bestOfColor, -1);
        for (var item = 0; item < itemCount; item++)
        {
            if (withColors && colors[item] >= 0)
            {
                ref var best = ref bestOfColor[colors[item]];
                if (best < 0 || order.Compare(item, best) < 0)
                {
                    best = item;
                }
            }

            if (size < heapSize)
            {
                heap[size] = item;
                SiftUp(heap, size++, order);
            }
            else if (heapSize > 0 && order.Compare(item, heap[0]) < 0)
            {
                heap[0] = item;
                SiftDown(heap, size, order);
            }
        }

        var shortlist = new List<int>(size + bestOfColor.Length);
        shortlist.AddRange(heap.AsSpan(0, size));
        if (withColors)
        {
            var inHeap = new HashSet<int>(shortlist);
            foreach (var best in bestOfColor)
            {
                if (best >= 0 && !inHeap.Contains(best))
                {
                    shortlist.Add(best);
                }
            }
        }

        var sorted = shortlist.ToArray();
        Array.Sort(sorted, new OrderComparer<TOrder>(order));
        return sorted;
    }

    // A max-heap: the root is the worst item kept so far, the first to go when a better one arrives.
    private static void SiftUp<TOrder>(int[] heap, int at, TOrder order) where TOrder : struct, IItemOrder
    {
        while (at > 0)
        {
            var parent = (at - 1) / 2;
            if (order.Compare(heap[at], heap[parent]) <= 0)
            {
                return;
            }

            (heap[at], heap[parent]) = (heap[parent], heap[at]);
            at = parent;
        }
    }

    private static void SiftDown<TOrder>(int[] heap, int size, TOrder order) where TOrder : struct, IItemOrder
    {
        var at = 0;
        while (true)
        {
            var left = 2 * at + 1;
            if (left >= size)
            {
                return;
            }

            var worse = left + 1 < size && order.Compare(heap[left + 1], heap[left]) > 0 ? left + 1 : left;
            if (order.Compare(heap[worse], heap[at]) <= 0)
            {
                return;
            }

            (heap[at], heap[worse]) = (heap[worse], heap[at]);
            at = worse;
        }
    }

    private sealed class OrderComparer<TOrder>(TOrder order) : IComparer<int> where TOrder : struct, IItemOrder
    {
        public int Compare(int x, int y) => order.Compare(x, y);
    }
}
