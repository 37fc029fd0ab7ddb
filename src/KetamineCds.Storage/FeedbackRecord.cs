namespace KetamineCds.Storage;

/// <summary>A clinician's answer to a card, as stored. Identified by (service, card, outcome, outcome time).</summary>
public sealed record FeedbackRecord
{
    public required string ServiceId { get; init; }

    public required string CardUuid { get; init; }

    /// <summary><c>accepted</c> or <c>overridden</c>.</summary>
    public required string Outcome { get; init; }

    public required DateTimeOffset OutcomeTimestamp { get; init; }

    public IReadOnlyList<string> AcceptedSuggestions { get; init; } = [];

    public string? OverrideSystem { get; init; }

    public string? OverrideCode { get; init; }

    public string? OverrideDisplay { get; init; }

    public string? UserComment { get; init; }

    public string? ClientName { get; init; }
}
