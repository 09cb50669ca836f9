namespace Prxy.Typed;

/// <summary>
/// Keeps the <c>k</c> best-scored items seen so far in a min-heap: O(log k) per offered item, and an item outside the
/// top k is rejected before it is materialised (<see cref="WouldAccept"/>).
/// </summary>
internal sealed class TopK<T>
{
    private readonly (double Score, long Order, T Item)[] _heap;
    private int _count;
    private long _order;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _heap = new (double, long, T)[k];
    }

    public int Count => _count;

    /// <summary>True when an item with <paramref name="score"/> would enter the top k (ties keep the earlier item).</summary>
    public bool WouldAccept(double score) => _count < _heap.Length || score > _heap[0].Score;

    public void Add(double score, T item)
    {
        var entry = (score, _order++, item);
        if (_count < _heap.Length)
        {
            _heap[_count] = entry;
            SiftUp(_count++);
        }
        else if (score > _heap[0].Score)
        {
            _heap[0] = entry;
            SiftDown(0);
        }
    }

    /// <summary>The items, best first; equal scores in the order they were offered.</summary>
    public List<(double Score, T Item)> ToSortedList()
    {
        var items = _heap.AsSpan(0, _count).ToArray();
        Array.Sort(items, static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        return items.Select(static e => (e.Score, e.Item)).ToList();
    }

    // The root is the worst entry: lowest score, and among equal scores the latest offered.
    private static bool Worse((double Score, long Order, T Item) a, (double Score, long Order, T Item) b) =>
        a.Score < b.Score || (a.Score == b.Score && a.Order > b.Order);

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Worse(_heap[index], _heap[parent]))
            {
                break;
            }

            (_heap[index], _heap[parent]) = (_heap[parent], _heap[index]);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            var left = (2 * index) + 1;
            if (left >= _count)
            {
                return;
            }

            var worst = left + 1 < _count && Worse(_heap[left + 1], _heap[left]) ? left + 1 : left;
            if (!Worse(_heap[worst], _heap[index]))
            {
                return;
            }

            (_heap[index], _heap[worst]) = (_heap[worst], _heap[index]);
            index = worst;
        }
    }
}
