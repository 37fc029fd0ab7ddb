using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;

namespace KetamineCds.Api.Security;

/// <summary>
/// The replay cache of a single instance: a size-limited <see cref="MemoryCache"/> whose entries expire with their token
/// (on the injected clock). It never refuses a new token because it is full: it first drops entries whose token has
/// expired, then, only if <see cref="MaxEntries"/> unexpired tokens are remembered, the least recently seen ones (a
/// replay of those would no longer be caught, which is logged). Several instances need the Redis cache instead.
/// </summary>
internal sealed class MemoryJtiReplayCache : IJtiReplayCache, IDisposable
{
    /// <summary>Remembered tokens at most (about 100 MB): 100 calls/s per EHR with 5-minute tokens need 36,000.</summary>
    public const int MaxEntries = 200_000;

    private const double CompactionShare = 0.05;

    // MemoryCache has no atomic add-if-absent: a striped lock makes check-then-add atomic per key without one global lock.
    private readonly Lock[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];
    private readonly MemoryCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<MemoryJtiReplayCache> _logger;
    private long _nextFullLogTicks;

    public MemoryJtiReplayCache(TimeProvider time, ILogger<MemoryJtiReplayCache> logger)
    {
        _time = time;
        _logger = logger;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = MaxEntries,
            CompactionPercentage = CompactionShare,
            ExpirationScanFrequency = TimeSpan.FromSeconds(30),
            Clock = new TimeProviderClock(time),
        });
    }

    public int Count => _cache.Count;

    public ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken)
    {
        var key = (issuer, jti);
        lock (_stripes[(key.GetHashCode() & int.MaxValue) % _stripes.Length])
        {
            // An entry whose token has expired is gone (TryGetValue checks expiry): its token is refused as expired anyway.
            if (_cache.TryGetValue(key, out _))
            {
                return ValueTask.FromResult(ReplayCheck.Replayed);
            }

            if (!Remember(key, rememberUntil))
            {
                // Full: a Set over the size limit is dropped. Free room now (expired entries first, then the least
                // recently seen) rather than refuse a legitimate call.
                _cache.Compact(CompactionShare);
                LogFull();
                Remember(key, rememberUntil);
            }

            return ValueTask.FromResult(ReplayCheck.FirstUse);
        }
    }

    public void Dispose() => _cache.Dispose();

    private bool Remember((string, string) key, DateTimeOffset rememberUntil)
    {
        _cache.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpiration = rememberUntil, Size = 1 });
        return _cache.TryGetValue(key, out _);
    }

    private void LogFull()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextFullLogTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextFullLogTicks, now + TimeSpan.TicksPerMinute, next) == next)
        {
            SecurityLog.ReplayCacheFull(_logger, MaxEntries);
        }
    }

    private sealed class TimeProviderClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
