using System.Collections.Concurrent;

namespace KetamineCds.Api.Security;

/// <summary>
/// Remembers each (iss, jti) until the token it came from has expired (exp + clock skew), so that a token is accepted
/// once. In memory: with several instances, put a shared store (for example Redis SET NX PX) behind the same method.
/// </summary>
internal sealed class JtiReplayCache(TimeProvider time, ILogger<JtiReplayCache> logger)
{
    /// <summary>Upper bound on remembered tokens; when full of unexpired entries, new tokens are refused (fail closed).</summary>
    public const int MaxEntries = 200_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Issuer, string Jti), DateTimeOffset> _seen = new();
    private readonly Lock _sweepLock = new();
    private long _nextSweepTicks;

    public int Count => _seen.Count;

    /// <summary>True the first time (iss, jti) is seen before <paramref name="rememberUntil"/>; false for a replay.</summary>
    public bool TryRegister(string issuer, string jti, DateTimeOffset rememberUntil)
    {
        var now = time.GetUtcNow();
        Sweep(now, force: _seen.Count >= MaxEntries);
        if (_seen.Count >= MaxEntries)
        {
            SecurityLog.ReplayCacheFull(logger, MaxEntries);
            return false;
        }

        var key = (issuer, jti);
        if (_seen.TryAdd(key, rememberUntil))
        {
            return true;
        }

        // An entry that has expired but not yet been swept no longer protects anything: its token is expired too.
        return _seen.TryGetValue(key, out var until) && until <= now && _seen.TryUpdate(key, rememberUntil, until);
    }

    private void Sweep(DateTimeOffset now, bool force)
    {
        if (!force && now.UtcTicks < Volatile.Read(ref _nextSweepTicks))
        {
            return;
        }

        lock (_sweepLock)
        {
            if (!force && now.UtcTicks < Volatile.Read(ref _nextSweepTicks))
            {
                return;
            }

            Volatile.Write(ref _nextSweepTicks, (now + SweepInterval).UtcTicks);
            foreach (var (key, until) in _seen)
            {
                if (until <= now)
                {
                    _seen.TryRemove(new KeyValuePair<(string, string), DateTimeOffset>(key, until));
                }
            }
        }
    }
}
