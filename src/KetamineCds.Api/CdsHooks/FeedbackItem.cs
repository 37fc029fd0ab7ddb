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
    FeedbackOverrideReason? OverrideReason);

/// <summary>The clinician's override reason: a coding from the card's <c>overrideReasons</c> and/or a free-text comment.</summary>
public sealed record FeedbackOverrideReason(string? System, string? Code, string? Display, string? UserComment);
