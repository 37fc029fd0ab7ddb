using System.Text.Json.Serialization;

namespace KetamineCds.Core.Cards;

/// <summary>A CDS Hooks 2.0 card. Optional members are null when absent (never empty lists or strings).</summary>
public sealed record CdsCard
{
    [JsonPropertyName("uuid")]
    public required string Uuid { get; init; }

    /// <summary>One sentence, under 140 characters.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>GitHub-flavoured markdown.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary>
    /// A compact variant of <see cref="Detail"/> for when the card links to the TRD assessment app (the host adds the
    /// link and swaps this in; otherwise the full detail stays): the key facts, what data is missing, what to check,
    /// the same sources and knowledge-base footer, and a pointer to the app for the rest. Same markdown and escaping
    /// rules as <see cref="Detail"/>. Null when the card has no compact variant. Never sent to the EHR.
    /// </summary>
    [JsonIgnore]
    public string? ShortDetail { get; init; }

    [JsonPropertyName("indicator")]
    public required CardIndicator Indicator { get; init; }

    [JsonPropertyName("source")]
    public required CdsSource Source { get; init; }

    [JsonPropertyName("suggestions")]
    public IReadOnlyList<CdsSuggestion>? Suggestions { get; init; }

    /// <summary>Required whenever <see cref="Suggestions"/> is present.</summary>
    [JsonPropertyName("selectionBehavior")]
    public SelectionBehavior? SelectionBehavior { get; init; }

    [JsonPropertyName("overrideReasons")]
    public IReadOnlyList<CdsCoding>? OverrideReasons { get; init; }

    [JsonPropertyName("links")]
    public IReadOnlyList<CdsLink>? Links { get; init; }
}

public enum CardIndicator
{
    [JsonStringEnumMemberName("info")]
    Info,

    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("critical")]
    Critical,
}

public enum SelectionBehavior
{
    [JsonStringEnumMemberName("at-most-one")]
    AtMostOne,

    [JsonStringEnumMemberName("any")]
    Any,
}
