using System.Collections.Concurrent;

namespace KetamineCds.Api.Security;

/// <summary>
/// Refused calls (401, 429, 503 overloaded) logged in proportion: the first refusal of a client for a reason is a
/// warning at once, the further ones are counted and reported as one line per client and reason per
/// <see cref="Interval"/> (on the injected <see cref="TimeProvider"/>'s timer), so a flood of bad calls cannot flood the
/// log. Per-request detail stays at Debug.
/// </summary>
internal sealed class RejectionLog : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Distinct client/reason pairs tracked; beyond it (a spray of unknown callers) they share one bucket.</summary>
    private const int MaxTracked = 1_000;

    private readonly ConcurrentDictionary<(int Status, string Client, string Reason), Counter> _counters = new();
    private readonly ILogger<RejectionLog> _logger;
    private readonly ITimer _timer;

    public RejectionLog(TimeProvider time, ILogger<RejectionLog> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        _logger = logger;
        _timer = time.CreateTimer(static state => ((RejectionLog)state!).Flush(), this, Interval, Interval);
    }

    /// <summary>One refused call. <paramref name="client"/> is a configured EHR name or a description, never caller text.</summary>
    public void Record(int status, string client, string reason)
    {
        var key = (status, client, reason);
        if (!_counters.ContainsKey(key) && _counters.Count >= MaxTracked)
        {
            key = (status, "other callers", reason);
        }

        var counter = _counters.GetOrAdd(key, static _ => new Counter());
        if (Interlocked.Exchange(ref counter.Reported, 1) == 0)
        {
            SecurityLog.CallRefused(_logger, status, key.Item2, reason, Interval);
        }
        else
        {
            Interlocked.Increment(ref counter.Pending);
        }
    }

    /// <summary>Reports the counts of the last interval; a pair with nothing new is forgotten (its next refusal is logged at once).</summary>
    internal void Flush()
    {
        foreach (var (key, counter) in _counters)
        {
            var count = Interlocked.Exchange(ref counter.Pending, 0);
            if (count > 0)
            {
                SecurityLog.CallsRefused(_logger, key.Status, key.Client, key.Reason, count, Interval);
            }
            else
            {
                _counters.TryRemove(new KeyValuePair<(int, string, string), Counter>(key, counter));
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private sealed class Counter
    {
        public int Reported;
        public long Pending;
    }
}
