using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>One ingredient taken over a span of time, from one MedicationRequest/Statement or a run of dispenses.</summary>
internal sealed record MedicationExposure
{
    public required Ingredient Ingredient { get; init; }

    public required MedicationSourceKind Source { get; init; }

    /// <summary>Relative reference, e.g. <c>MedicationRequest/123</c> (null when the resource has no id).</summary>
    public string? Reference { get; init; }

    /// <summary>The text the record used (display or text), for card wording.</summary>
    public string? Text { get; init; }

    public decimal? StrengthMg { get; init; }

    /// <summary>Daily dose of this ingredient in mg, when it can be derived.</summary>
    public decimal? DailyDoseMg { get; init; }

    public DateTimeOffset? Start { get; init; }

    /// <summary>End of the exposure when known (null: unknown end).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Active and recent (within the configured window), not just status=active.</summary>
    public bool IsCurrent { get; init; }

    /// <summary>
    /// A course of treatment (scheduled, ordered or taken), which is what a trial is made of. False for as-needed (PRN)
    /// dosing and for requests that authorise nothing (intent proposal, plan or option): those never make a trial.
    /// </summary>
    public bool IsCourse { get; init; } = true;

    /// <summary>Latest point in time the record shows the drug was taken.</summary>
    public DateTimeOffset? LastKnown => End ?? Start;
}
