using KetamineCds.Core.Engine;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>Compares an <see cref="EvaluationOutcome"/> with a scenario's expectations and lists every difference.</summary>
public static class ScenarioVerifier
{
    public static IReadOnlyList<string> Problems(ClinicalScenario scenario, EvaluationOutcome outcome)
    {
        var problems = new List<string>();

        if (scenario.RequiredDataMissing is { } required && outcome.RequiredDataMissing != required)
        {
            problems.Add($"RequiredDataMissing = {outcome.RequiredDataMissing}, expected {required}");
        }

        foreach (var kind in scenario.MissingData.Where(k => !outcome.MissingData.Contains(k)))
        {
            problems.Add($"MissingData lacks {kind} (has [{string.Join(", ", outcome.MissingData)}])");
        }

        if (scenario.Cards is not null && CardMatcher.Compare(scenario.Cards, outcome.Cards) is { } cardProblem)
        {
            problems.Add(cardProblem);
        }

        var needsAssessment = scenario.TrdStatus is not null || scenario.FailedIngredients is not null || scenario.Maudsley is not null
            || scenario.ThaseRush is not null || scenario.Findings.Count > 0 || scenario.AbsentFindings.Count > 0 || scenario.OnKetamineTherapy is not null
            || scenario.KetamineOrdered is not null || scenario.Deceased is not null;
        var assessment = outcome.Assessment;
        if (assessment is null)
        {
            if (needsAssessment)
            {
                problems.Add("Assessment is null");
            }

            return problems;
        }

        if (scenario.TrdStatus is { } status && assessment.TrdStatus != status)
        {
            problems.Add($"TrdStatus = {assessment.TrdStatus}, expected {status}");
        }

        if (scenario.FailedIngredients is { } failed)
        {
            var actual = assessment.FailedTrialIngredients.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var wanted = failed.Order(StringComparer.Ordinal).ToList();
            if (!actual.SequenceEqual(wanted, StringComparer.Ordinal))
            {
                problems.Add($"FailedTrialIngredients = [{string.Join(", ", assessment.FailedTrialIngredients)}], expected [{string.Join(", ", wanted)}]");
            }
        }

        if (scenario.Maudsley is { } msm && assessment.MaudsleyScore != msm)
        {
            problems.Add($"MaudsleyScore = {assessment.MaudsleyScore?.ToString() ?? "null"}, expected {msm}");
        }

        if (scenario.ThaseRush is { } stage && assessment.ThaseRushStage != stage)
        {
            problems.Add($"ThaseRushStage = {assessment.ThaseRushStage ?? "null"}, expected {stage}");
        }

        problems.AddRange(scenario.Findings
            .Where(f => !assessment.Findings.Contains(f, StringComparer.Ordinal))
            .Select(f => $"finding {f} missing"));
        problems.AddRange(scenario.AbsentFindings
            .Where(f => assessment.Findings.Contains(f, StringComparer.Ordinal))
            .Select(f => $"finding {f} present but must not be"));

        if (scenario.OnKetamineTherapy is { } onKetamine && assessment.OnKetamineTherapy != onKetamine)
        {
            problems.Add($"OnKetamineTherapy = {assessment.OnKetamineTherapy}, expected {onKetamine}");
        }

        if (scenario.KetamineOrdered is { } ordered && assessment.KetamineOrdered != ordered)
        {
            problems.Add($"KetamineOrdered = {assessment.KetamineOrdered}, expected {ordered}");
        }

        if (scenario.Deceased is { } deceased && assessment.Deceased != deceased)
        {
            problems.Add($"Deceased = {assessment.Deceased}, expected {deceased}");
        }

        return problems;
    }

    public static string DescribeAssessment(AssessmentSummary? a) => a is null
        ? "(null)"
        : $"TRD={a.TrdStatus} failed=[{string.Join(", ", a.FailedTrialIngredients)}] MSM={a.MaudsleyScore?.ToString() ?? "-"} TR={a.ThaseRushStage ?? "-"} " +
          $"findings=[{string.Join(", ", a.Findings)}] onKetamine={a.OnKetamineTherapy} ordered={a.KetamineOrdered} deceased={a.Deceased}";
}
