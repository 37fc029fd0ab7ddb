using KetamineCds.Core.Assessment;
using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Engine;

/// <summary>
/// Read-only view of what the engine decided, item by item, for the assessment app (requested with
/// <see cref="EvaluationRequest.IncludeDetails"/>; hooks never pay for it). Nothing here is re-derived: it is the
/// engine's own assessment, exposed.
/// </summary>
public sealed record AssessmentDetails
{
    public required string TrdReason { get; init; }

    public DateTimeOffset? EpisodeStart { get; init; }

    public IReadOnlyList<TrialDetail> Trials { get; init; } = [];

    public IReadOnlyList<MeasurementPoint> Phq9 { get; init; } = [];

    public IReadOnlyList<MeasurementPoint> Systolic { get; init; } = [];

    public IReadOnlyList<MeasurementPoint> Diastolic { get; init; } = [];

    public string? MaudsleyBand { get; init; }

    public IReadOnlyList<StagingItemDetail> MaudsleyItems { get; init; } = [];

    public string? ThaseRushBasis { get; init; }

    /// <summary>Contraindications, precautions, interactions and blood pressure, each with its evidence and sources.</summary>
    public IReadOnlyList<ChecklistItem> Checklist { get; init; } = [];

    internal static AssessmentDetails Build(KnowledgeBase knowledge, PatientAssessment a, ObservationFacts observations)
    {
        var checklist = new List<ChecklistItem>();
        checklist.AddRange(a.Safety.Contraindications.Select(f => Item("Contraindication", f, knowledge)));
        checklist.AddRange(a.Safety.Precautions.Select(f => Item("Precaution", f, knowledge)));
        checklist.AddRange(a.Interactions.Select(i => new ChecklistItem(
            "Interacting drug",
            i.Class.Display,
            i.Drugs.Select(d => d.Text ?? d.Ingredient.Name).ToList(),
            i.Class.Management,
            i.Class.Sources.Select(knowledge.CitationUrlOrLabel).ToList())));
        var bp = a.BloodPressure;
        checklist.Add(new ChecklistItem(
            "Blood pressure",
            $"{bp.Status}: {bp.Reading}{(bp.When is { } w ? $" on {w:yyyy-MM-dd}" : "")} (threshold {bp.Threshold} mmHg, recent = {bp.WindowDays} days)",
            [],
            "",
            []));

        return new AssessmentDetails
        {
            TrdReason = a.Trd.Reason,
            EpisodeStart = a.Trd.EpisodeStart,
            Trials = a.Trd.Trials.Select(t => new TrialDetail(
                t.Ingredient.Name, t.RecordText, t.DailyDoseMg, t.Ingredient.MinimumDailyDoseMg, t.Start, t.LastKnown, t.EndKnown,
                t.Weeks, t.IsAdequate, t.Failed, t.Unconfirmed, t.Dose.ToString(), t.Duration.ToString(), t.FailureEvidence)).ToList(),
            Phq9 = observations.Phq9.Select(Point).OrderBy(p => p.When).ToList(),
            Systolic = observations.Systolic.Select(Point).OrderBy(p => p.When).ToList(),
            Diastolic = observations.Diastolic.Select(Point).OrderBy(p => p.When).ToList(),
            MaudsleyBand = a.Trd.Staging?.MaudsleyBand,
            MaudsleyItems = a.Trd.Staging?.MaudsleyItems.Select(i => new StagingItemDetail(i.Name, i.Score, i.Basis, i.Estimated)).ToList() ?? [],
            ThaseRushBasis = a.Trd.Staging?.ThaseRushBasis,
            Checklist = checklist,
        };
    }

    private static MeasurementPoint Point(ObservationValue v) => new(v.When, v.Value);

    private static ChecklistItem Item(string kind, SafetyFinding f, KnowledgeBase knowledge) =>
        new(kind, f.Text.Display, f.Evidence, f.Text.Guidance, f.Text.Sources.Select(knowledge.CitationUrlOrLabel).ToList());
}

/// <summary>One antidepressant trial as the engine judged it.</summary>
public sealed record TrialDetail(
    string Drug,
    string? RecordText,
    decimal? DailyDoseMg,
    decimal? MinimumDailyDoseMg,
    DateTimeOffset? Start,
    DateTimeOffset? LastKnown,
    bool EndKnown,
    double? Weeks,
    bool Adequate,
    bool Failed,
    bool Unconfirmed,
    string Dose,
    string Duration,
    string? FailureEvidence);

public readonly record struct MeasurementPoint(DateTimeOffset When, decimal Value);

public sealed record StagingItemDetail(string Name, int Score, string Basis, bool Estimated);

/// <summary>One line of the "before ketamine/esketamine" checklist: the finding, the record's evidence, guidance, sources.</summary>
public sealed record ChecklistItem(string Kind, string Finding, IReadOnlyList<string> Evidence, string Guidance, IReadOnlyList<string> Sources);
