namespace Prxy.Typed;

/// <summary>The result of <see cref="IKvStore.IncrementAsync"/>: the counter's new value, or a flag that the store was unavailable.</summary>
/// <param name="Value">The value after the increment; 0 when <paramref name="IsAvailable"/> is false.</param>
/// <param name="IsAvailable">False when the store could not be reached in time and nothing was counted.</param>
public readonly record struct KvCounter(long Value, bool IsAvailable)
{
    /// <summary>The result returned when the store is unavailable: nothing was counted.</summary>
    public static KvCounter Unavailable => new(0, false);
}
