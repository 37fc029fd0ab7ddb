using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>One card a scenario expects (matched by topic and indicator, then by the content checks).</summary>
/// <param name="Topic">A <see cref="CardTopics"/> code.</param>
/// <param name="Indicator">The expected indicator, or null when the spec leaves it open.</param>
public sealed record ExpectedCard(string Topic, CardIndicator? Indicator)
{
    /// <summary>Substrings the detail must contain (ordinal, case-sensitive: drug names are lower-case generics, doses "n mg/day").</summary>
    public IReadOnlyList<string> DetailContains { get; init; } = [];

    /// <summary>Substrings the detail must contain, ignoring case (free wording such as "hypertension").</summary>
    public IReadOnlyList<string> DetailContainsIgnoreCase { get; init; } = [];

    /// <summary>Whole words (case-insensitive) the detail must not contain, e.g. "amphetamine" for a dextroamphetamine-only patient.</summary>
    public IReadOnlyList<string> DetailLacksWord { get; init; } = [];

    /// <summary>Substring (case-insensitive) the summary must contain.</summary>
    public string? SummaryContains { get; init; }

    /// <summary>True: at least one suggestion; false: no suggestions; null: not checked.</summary>
    public bool? HasSuggestions { get; init; }

    /// <summary>A suggestion must create a ServiceRequest (the TRD referral).</summary>
    public bool SuggestsServiceRequest { get; init; }

    /// <summary>A suggestion must delete this draft order (<c>MedicationRequest/&lt;id&gt;</c>).</summary>
    public string? DeletesResourceId { get; init; }

    public override string ToString() => $"{Topic}/{Indicator?.ToString() ?? "any"}";
}
