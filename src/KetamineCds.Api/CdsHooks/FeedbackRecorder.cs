using KetamineCds.Storage;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// Records feedback in storage before the endpoint answers 200 (committed, so a crash right after loses nothing),
/// idempotently: an item is identified by (service, card, outcome, outcomeTimestamp) and stored once, also across
/// restarts and instances. Override reason (system, code, display) and comment are kept.
/// </summary>
public sealed class FeedbackRecorder(FeedbackStore store)
{
    /// <summary>Stores the items; returns how many were new, and how many of those were acceptances.</summary>
    public async Task<(int Added, int NewAccepted)> RecordAsync(string serviceId, IReadOnlyList<FeedbackItem> items, string? clientName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var records = items.Select(i => new FeedbackRecord
        {
            ServiceId = serviceId,
            CardUuid = i.Card,
            Outcome = i.Outcome == FeedbackOutcome.Accepted ? "accepted" : "overridden",
            OutcomeTimestamp = i.OutcomeTimestamp,
            AcceptedSuggestions = i.AcceptedSuggestions,
            OverrideSystem = i.OverrideReason?.System,
            OverrideCode = i.OverrideReason?.Code,
            OverrideDisplay = i.OverrideReason?.Display,
            UserComment = i.OverrideReason?.UserComment,
            ClientName = clientName,
        }).ToList();
        var added = await store.AddAsync(records, cancellationToken);
        return (added.Count, added.Count(r => r.Outcome == "accepted"));
    }
}
