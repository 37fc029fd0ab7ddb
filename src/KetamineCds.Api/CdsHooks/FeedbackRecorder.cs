using System.Collections.Concurrent;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// Records feedback idempotently, keyed by (card, outcome, outcomeTimestamp), and keeps counts per service and outcome.
/// In memory for now (bounded); durable storage is a separate piece of work.
/// </summary>
public sealed class FeedbackRecorder
{
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<(string Card, FeedbackOutcome Outcome, DateTimeOffset At), byte> _seen = new();
    private readonly ConcurrentDictionary<(string ServiceId, FeedbackOutcome Outcome), long> _counts = new();

    /// <summary>Returns how many of the items were new (and how many of those were acceptances).</summary>
    public int Record(string serviceId, IReadOnlyList<FeedbackItem> items, out int newAccepted)
    {
        ArgumentNullException.ThrowIfNull(items);
        var added = 0;
        newAccepted = 0;
        foreach (var item in items)
        {
            if (_seen.Count >= MaxRemembered)
            {
                _seen.Clear();
            }

            if (_seen.TryAdd((item.Card, item.Outcome, item.OutcomeTimestamp), 0))
            {
                _counts.AddOrUpdate((serviceId, item.Outcome), 1, static (_, n) => n + 1);
                added++;
                if (item.Outcome == FeedbackOutcome.Accepted)
                {
                    newAccepted++;
                }
            }
        }

        return added;
    }

    public long Count(string serviceId, FeedbackOutcome outcome) => _counts.GetValueOrDefault((serviceId, outcome));
}
