using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace KetamineCds.Api.Scaling;

/// <summary>
/// Wraps a Redis-backed limiter: when Redis cannot answer, the call is let through (and logged at most every 30 s)
/// instead of failing with a 500. Safe because an EHR call only reaches the per-EHR limiter after its token passed the
/// replay check, which itself fails closed without Redis.
/// </summary>
internal sealed class FailOpenRateLimiter(RateLimiter inner, ThrottledLog log, ILogger logger) : RateLimiter
{
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (log.TryEnter(out var suppressed))
            {
                ScalingLog.RateLimitStoreUnavailable(logger, suppressed, ThrottledLog.IntervalSeconds, ex.GetType().Name);
            }

            return Granted.Instance;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
