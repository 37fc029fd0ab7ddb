using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>One antidepressant ingredient taken in the current episode, with its adequacy and failure evidence.</summary>
internal sealed record AntidepressantTrial
{
    public required Ingredient Ingredient { get; init; }

    public required IReadOnlyList<MedicationExposure> Exposures { get; init; }

    public DateTimeOffset? Start { get; init; }

    /// <summary>Latest date the record shows the drug was taken (the trial's end, or a lower bound when <see cref="EndKnown"/> is false).</summary>
    public DateTimeOffset? LastKnown { get; init; }

    public bool EndKnown { get; init; }

    /// <summary>Highest known daily dose in mg.</summary>
    public decimal? DailyDoseMg { get; init; }

    public required DoseAdequacy Dose { get; init; }

    public required DurationAdequacy Duration { get; init; }

    /// <summary>Weeks at or above the minimum dose (or in total when the dose is unknown); a lower bound when the end is unknown.</summary>
    public double? Weeks { get; init; }

    /// <summary>First date at or above the minimum dose.</summary>
    public DateTimeOffset? AdequateFrom { get; init; }

    /// <summary>Why the trial counts as failed (switch, augmentation, PHQ-9), or null.</summary>
    public string? FailureEvidence { get; init; }

    /// <summary>Why an adequate trial is not counted as failed although it may look like one (PHQ-9 below the threshold), or null.</summary>
    public string? ResponseEvidence { get; init; }

    public bool IsAdequate => Dose == DoseAdequacy.Adequate && Duration == DurationAdequacy.Adequate;

    public bool Failed => IsAdequate && FailureEvidence is not null;

    /// <summary>Adequacy cannot be confirmed: dose or duration missing (and neither is known to be inadequate).</summary>
    public bool Unconfirmed => !IsAdequate && Dose != DoseAdequacy.BelowMinimum && Duration != DurationAdequacy.TooShort;

    /// <summary>The record's own wording for the drug, when it differs from the ingredient name.</summary>
    public string? RecordText => Exposures.Select(e => e.Text).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t) && !string.Equals(t.Trim(), Ingredient.Name, StringComparison.OrdinalIgnoreCase));
}
