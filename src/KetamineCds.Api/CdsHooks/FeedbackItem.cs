namespace KetamineCds.Api.CdsHooks;

public enum FeedbackOutcome
{
    Accepted,
    Overridden,
}

/// <summary>One validated feedback entry (no patient data in it: card/suggestion uuids and codes only).</summary>
public sealed record FeedbackItem(
    string Card,
    FeedbackOutcome Outcome,
    DateTimeOffset OutcomeTimestamp,
    IReadOnlyList<string> AcceptedSuggestions,
    string? OverrideReasonCode);
