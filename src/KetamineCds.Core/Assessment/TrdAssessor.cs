using KetamineCds.Core.Engine;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// TRD status: met with two or more failed adequate trials of different ingredients or the TRD concept SNOMED 1153570009;
/// possible when two or more trials' adequacy cannot be confirmed because dose or duration is missing; not-met otherwise. Not applicable without active MDD, or with bipolar disorder [T1] [T4] [C-V:105.12.1203].
/// </summary>
internal static class TrdAssessor
{
    public static TrdAssessment Assess(
        KnowledgeBase knowledge,
        ClinicalOptions options,
        ConditionFacts conditions,
        IReadOnlyList<MedicationExposure> exposures,
        ObservationFacts observations,
        DateTimeOffset now,
        EctFacts? ect = null)
    {
        var mdd = conditions.For(knowledge.Concept(ConceptIds.MajorDepression)).Where(e => e.Active).ToList();
        var trdCode = conditions.For(knowledge.Concept(ConceptIds.TreatmentResistantDepression)).FirstOrDefault(e => e.Active);
        var suicidal = conditions.For(knowledge.Concept(ConceptIds.SuicidalIdeation)).Any(e => e.Active);
        var mddWithSi = mdd.Count > 0 && suicidal;

        if (conditions.Has(knowledge.Concept(ConceptIds.BipolarDisorder)))
        {
            return new TrdAssessment
            {
                Status = TrdStatus.NotApplicable,
                Reason = "bipolar disorder is recorded; TRD is defined for major depressive disorder only",
                Depression = mdd,
                MddWithSuicidalIdeation = false,
            };
        }

        if (mdd.Count == 0 && trdCode is null)
        {
            return new TrdAssessment
            {
                Status = TrdStatus.NotApplicable,
                Reason = "no active major depressive disorder is recorded",
            };
        }

        var onset = mdd.Where(e => e.Onset is not null).Max(e => e.Onset);
        var episodeStart = onset ?? now.AddMonths(-options.EpisodeLookbackMonths);
        var trials = TrialBuilder.Build(exposures, observations.Phq9, episodeStart, now, options);
        var episodeExposures = exposures.Where(e => e.IsCourse && e.Start is not null && e.Start <= now && (e.LastKnown ?? e.Start) >= episodeStart).ToList();
        var failed = trials.Count(t => t.Failed);
        var unconfirmed = trials.Count(t => t.Unconfirmed);

        TrdStatus status;
        string reason;
        if (trdCode is not null)
        {
            status = TrdStatus.Met;
            reason = $"treatment resistant depression is recorded ({trdCode.Code})";
        }
        else if (failed >= 2)
        {
            status = TrdStatus.Met;
            reason = $"{failed} failed adequate antidepressant trials of different ingredients in the current episode";
        }
        else if (unconfirmed >= 2)
        {
            status = TrdStatus.Possible;
            reason = $"{unconfirmed} antidepressant trials in the current episode whose adequacy cannot be confirmed (dose or duration missing)";
        }
        else
        {
            status = TrdStatus.NotMet;
            reason = $"{failed} failed adequate antidepressant trial(s) in the current episode (two are needed)";
        }

        return new TrdAssessment
        {
            Status = status,
            Reason = reason,
            Depression = mdd,
            TrdCode = trdCode,
            EpisodeStart = episodeStart,
            EpisodeStartFromOnset = onset is not null,
            Trials = trials,
            Staging = StagingCalculator.Compute(knowledge, mdd, onset, trials, episodeExposures, ect ?? EctFacts.None, episodeStart, now),
            MddWithSuicidalIdeation = mddWithSi,
        };
    }
}
