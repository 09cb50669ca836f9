using Microsoft.Extensions.Time.Testing;

namespace Prxy.Typed.Tests.Blob;

public sealed class FailureLogThrottleTests
{
    [Fact]
    public void Lets_one_line_through_per_interval_and_counts_the_rest()
    {
        var time = new FakeTimeProvider();
        var throttle = new FailureLogThrottle(TimeSpan.FromSeconds(10), time);

        Assert.True(throttle.TryEnter(out var first));
        Assert.Equal(0, first);
        Assert.False(throttle.TryEnter(out _));
        Assert.False(throttle.TryEnter(out _));

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(throttle.TryEnter(out _));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.TryEnter(out var suppressed));
        Assert.Equal(3, suppressed);
        Assert.False(throttle.TryEnter(out _));
    }
}
