namespace Prxy.Typed.Tests.Vectors;

public sealed class TopKTests
{
    [Fact]
    public void Keeps_the_k_best_in_descending_order_matching_a_full_sort()
    {
        var random = new Random(42);
        var scores = Enumerable.Range(0, 5_000).Select(i => (Score: random.NextDouble() * 2 - 1, Id: i)).ToList();
        var top = new TopK<int>(10);
        foreach (var (score, id) in scores)
        {
            top.Add(score, id);
        }

        var expected = scores.OrderByDescending(s => s.Score).Take(10).Select(s => s.Id).ToList();
        Assert.Equal(expected, top.ToSortedList().Select(e => e.Item).ToList());
    }

    [Fact]
    public void Ties_keep_the_earlier_item_and_rejects_are_known_before_materialising()
    {
        var top = new TopK<string>(2);
        top.Add(0.5, "a");
        top.Add(0.5, "b");
        Assert.False(top.WouldAccept(0.5));
        top.Add(0.5, "c");
        Assert.True(top.WouldAccept(0.6));
        top.Add(0.9, "d");

        Assert.Equal(["d", "a"], top.ToSortedList().Select(e => e.Item));
    }

    [Fact]
    public void Fewer_items_than_k_are_all_returned()
    {
        var top = new TopK<int>(10);
        top.Add(0.1, 1);
        top.Add(0.3, 2);
        Assert.Equal([2, 1], top.ToSortedList().Select(e => e.Item));
    }

    [Fact]
    public void Vector_blobs_round_trip_as_float32_little_endian()
    {
        float[] vector = [1.5f, -0f, float.Epsilon, 3.4028235e38f];
        var blob = VectorBlob.Encode(vector);
        Assert.Equal(16, blob.Length);
        Assert.Equal(new byte[] { 0, 0, 0xC0, 0x3F }, blob[..4]);
        Assert.Equal(vector, VectorBlob.Decode(blob));
        Assert.Throws<FormatException>(() => VectorBlob.Decode(new byte[5]));
    }
}
