namespace KetamineCds.Api.Scaling;

/// <summary>
/// Lets one log line through per <see cref="Interval"/> and counts the ones it held back, so that an outage seen by every
/// request writes a line every half minute, not one per request.
/// </summary>
internal sealed class ThrottledLog(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private long _nextTicks;
    private long _suppressed;

    public static int IntervalSeconds => (int)Interval.TotalSeconds;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long suppressed)
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextTicks, now + Interval.Ticks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
