using BitFaster.Caching;
using BitFaster.Caching.Lru;

namespace KetamineCds.Api.Security;

/// <summary>
/// The replay cache of a single instance: a bounded <see cref="ConcurrentLru{K, V}"/> (BitFaster.Caching) of the tokens
/// seen, each with the instant its token stops counting (checked on the injected clock). It never refuses a new token
/// because it is full: at <see cref="MaxEntries"/> the least recently seen entry makes room, which is O(1) (the
/// MemoryCache it replaces compacted 200,000 entries in the call that found it full: 88 ms median, 365 ms at worst,
/// docs/performance.md, ninth round); dropping a token that still counts is logged (a replay of it would no longer be
/// caught). Entries also expire with their token. Several instances need the Redis cache instead.
/// </summary>
internal sealed class MemoryJtiReplayCache : IJtiReplayCache
{
    /// <summary>Remembered tokens at most (an estimated 50 MB): 100 calls/s per EHR with 5-minute tokens need 36,000.</summary>
    public const int MaxEntries = 200_000;

    // Check-then-add must be atomic per key (two calls with one jti at once: one is a replay); a striped lock does
    // that without one global lock.
    private readonly Lock[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];
    private readonly ICache<(string Issuer, string Jti), DateTimeOffset> _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<MemoryJtiReplayCache> _logger;
    private long _nextFullLogTicks;

    public MemoryJtiReplayCache(TimeProvider time, ILogger<MemoryJtiReplayCache> logger)
    {
        _time = time;
        _logger = logger;
        _cache = new ConcurrentLruBuilder<(string Issuer, string Jti), DateTimeOffset>()
            .WithCapacity(MaxEntries)
            .WithMetrics() // turns on the removal events
            .WithExpireAfter(new UntilTokenExpiry(time))
            .Build();
        _cache.Events.Value!.ItemRemoved += OnRemoved;
    }

    public int Count => _cache.Count;

    public ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken)
    {
        var key = (issuer, jti);
        lock (_stripes[(key.GetHashCode() & int.MaxValue) % _stripes.Length])
        {
            // A remembered token that has stopped counting is forgotten: it is refused as expired anyway.
            if (_cache.TryGet(key, out var until) && until > _time.GetUtcNow())
            {
                return ValueTask.FromResult(ReplayCheck.Replayed);
            }

            _cache.AddOrUpdate(key, rememberUntil);
            return ValueTask.FromResult(ReplayCheck.FirstUse);
        }
    }

    private void OnRemoved(object? sender, ItemRemovedEventArgs<(string Issuer, string Jti), DateTimeOffset> removed)
    {
        if (removed.Reason == ItemRemovedReason.Evicted && removed.Value > _time.GetUtcNow())
        {
            LogFull();
        }
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

    /// <summary>An entry's lifetime in the cache: until its token stops counting, as seen when it is added.</summary>
    private sealed class UntilTokenExpiry(TimeProvider time) : IExpiryCalculator<(string Issuer, string Jti), DateTimeOffset>
    {
        private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

        public Duration GetExpireAfterCreate((string Issuer, string Jti) key, DateTimeOffset value)
            => Duration.FromTimeSpan(Max(value - time.GetUtcNow(), Shortest));

        public Duration GetExpireAfterRead((string Issuer, string Jti) key, DateTimeOffset value, Duration current) => current;

        public Duration GetExpireAfterUpdate((string Issuer, string Jti) key, DateTimeOffset value, Duration current)
            => GetExpireAfterCreate(key, value);

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
