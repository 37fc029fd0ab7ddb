using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Cards;

/// <summary>
/// patient-view, patient not on ketamine/esketamine: at most one trd-candidate (met) or trd-possible card. Info, or
/// warning when a contraindication is present (then no referral suggestion and the summary says so).
/// </summary>
internal static class TrdCardComposer
{
    public const string ReferralText = "Referral to psychiatry for ketamine/esketamine evaluation";

    public static CdsCard? Compose(CardFactory factory, PatientAssessment assessment)
    {
        var trd = assessment.Trd;
        if (trd.Status is not (TrdStatus.Met or TrdStatus.Possible))
        {
            return null;
        }

        var met = trd.Status == TrdStatus.Met;
        var contraindicated = assessment.Safety.Contraindications.Count > 0;
        var topic = met ? CardTopics.TrdCandidate : CardTopics.TrdPossible;
        string summary;
        if (contraindicated)
        {
            var names = string.Join(", ", assessment.Safety.Contraindications.Select(c => c.Text.Display));
            summary = met
                ? $"TRD criteria met, but a ketamine/esketamine contraindication is recorded: {names}"
                : $"Possible TRD, but a ketamine/esketamine contraindication is recorded: {names}";
        }
        else
        {
            summary = met
                ? "Treatment-resistant depression criteria met: consider referral for ketamine/esketamine evaluation"
                : "Possible treatment-resistant depression: confirm dose and duration of past antidepressant trials";
        }

        var sources = new List<string>();
        var detail = new StringBuilder(4096);
        detail.Append(met ? "**Treatment-resistant depression criteria met:** " : "**Possible treatment-resistant depression:** ")
            .Append(trd.Reason).Append(".\n\n");
        if (factory.Knowledge.FindingTexts.TryGetValue("trd", out var definition))
        {
            detail.Append(definition.Guidance).Append("\n\n");
            sources.AddRange(definition.Sources);
        }

        AppendTrials(detail, trd);
        AppendStaging(detail, trd, sources);
        if (contraindicated)
        {
            detail.Append("**A contraindication is recorded, so no referral is suggested.**\n\n");
        }

        SafetySummary.Append(detail, assessment, "ketamine/esketamine", sources);
        var shortDetail = ShortDetail(assessment, met, contraindicated);

        IReadOnlyList<CdsSuggestion>? suggestions = null;
        if (!contraindicated)
        {
            suggestions =
            [
                new CdsSuggestion
                {
                    Label = "Refer to psychiatry for ketamine/esketamine evaluation",
                    Uuid = Guid.NewGuid().ToString(),
                    IsRecommended = false,
                    Actions =
                    [
                        new CdsAction
                        {
                            Type = CdsActionType.Create,
                            Description = "Create a referral (ServiceRequest, draft) to psychiatry for ketamine/esketamine evaluation",
                            Resource = Referral(assessment.PatientId, met),
                        },
                    ],
                },
            ];
        }

        return factory.Create(topic, contraindicated ? CardIndicator.Warning : CardIndicator.Info, summary, detail.ToString(), sources, suggestions, shortDetailBody: shortDetail);
    }

    /// <summary>
    /// The compact detail shown when the card links to the assessment app: the determination and its reason, the
    /// trials that decided it (failed, or adequacy not confirmed and why), the staging in one line, the data that could
    /// not be read, and the short "before considering" checklist. EHR text (the record's wording of a drug, condition
    /// evidence) goes in escaped, as in the full detail.
    /// </summary>
    private static string ShortDetail(PatientAssessment assessment, bool met, bool contraindicated)
    {
        var trd = assessment.Trd;
        var detail = new StringBuilder(1024);
        detail.Append(met ? "**TRD criteria met:** " : "**Possible TRD:** ").Append(trd.Reason).Append(".\n\n");
        var deciding = trd.Trials.Where(t => t.Failed || t.Unconfirmed).ToList();
        if (deciding.Count > 0)
        {
            detail.Append("**Trials** (current episode since ").Append(FhirDates.Format(trd.EpisodeStart)).Append("):\n");
            foreach (var trial in deciding)
            {
                detail.Append("- ").Append(CardFactory.Drug(trial.Ingredient.Name, trial.RecordText)).Append(' ').Append(CardFactory.Dose(trial.DailyDoseMg)).Append(", ")
                    .Append(FhirDates.Format(trial.Start)).Append(" to ")
                    .Append(trial.EndKnown ? FhirDates.Format(trial.LastKnown) : "end unknown").Append(": ")
                    .Append(trial.Failed ? "failed" : ShortVerdict(trial)).Append('\n');
            }

            var others = trd.Trials.Count - deciding.Count;
            if (others > 0)
            {
                detail.Append("- ").Append(others).Append(others == 1 ? " other trial" : " other trials").Append(" not counted\n");
            }

            detail.Append('\n');
        }

        if (trd.Staging is { } staging)
        {
            detail.Append("**Staging:** Maudsley ").Append(staging.MaudsleyScore).Append(" of 15 (").Append(staging.MaudsleyBand).Append(')');
            var estimated = staging.MaudsleyItems.Count(i => i.Estimated);
            if (estimated > 0)
            {
                detail.Append(", ").Append(estimated).Append(estimated == 1 ? " item estimated" : " items estimated");
            }

            detail.Append("; Thase-Rush ").Append(staging.ThaseRushStage is { } stage ? "stage " + stage : "not staged").Append(".\n\n");
        }

        var unavailable = Enum.GetValues<PatientDataKind>().Where(assessment.Unavailable.Contains).ToList();
        if (unavailable.Count > 0)
        {
            detail.Append("**Data not available:** ").Append(string.Join(", ", unavailable)).Append(": findings that depend on it may be missing.\n\n");
        }

        if (contraindicated)
        {
            detail.Append("**A contraindication is recorded, so no referral is suggested.**\n\n");
        }

        SafetySummary.AppendShort(detail, assessment, "ketamine/esketamine");
        return detail.ToString();
    }

    private static string ShortVerdict(AntidepressantTrial trial)
    {
        var missing = new List<string>();
        if (trial.Dose == DoseAdequacy.Unknown)
        {
            missing.Add(trial.Ingredient.MinimumDailyDoseMg is null ? "no minimum dose known" : "dose missing");
        }

        if (trial.Duration == DurationAdequacy.Unknown)
        {
            missing.Add("duration missing");
        }

        return "adequacy not confirmed (" + string.Join(", ", missing) + ")";
    }

    private static ServiceRequest Referral(string? patientId, bool met)
    {
        var request = new ServiceRequest
        {
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Code = new CodeableConcept { Text = ReferralText },
            ReasonCode = [new CodeableConcept { Text = met ? "Treatment-resistant depression (criteria met)" : "Possible treatment-resistant depression" }],
        };
        if (patientId is not null)
        {
            request.Subject = new ResourceReference("Patient/" + patientId);
        }

        return request;
    }

    private static void AppendTrials(StringBuilder detail, TrdAssessment trd)
    {
        if (trd.Trials.Count == 0)
        {
            return;
        }

        var window = trd.EpisodeStartFromOnset ? "from the onset of the depression condition" : "no onset recorded: look-back window";
        detail.Append("**Antidepressant trials in the current episode** (since ").Append(FhirDates.Format(trd.EpisodeStart))
            .Append(", ").Append(window).Append("):\n");
        foreach (var trial in trd.Trials)
        {
            detail.Append("- **").Append(trial.Ingredient.Name).Append("**");
            if (trial.RecordText is { } text)
            {
                detail.Append(" (").Append(MarkdownText.Escape(text)).Append(')');
            }

            detail.Append(": ").Append(CardFactory.Dose(trial.DailyDoseMg)).Append(", ")
                .Append(FhirDates.Format(trial.Start)).Append(" to ")
                .Append(trial.EndKnown ? FhirDates.Format(trial.LastKnown) : "end date unknown");
            if (trial.Weeks is { } weeks && trial.Duration != DurationAdequacy.Unknown)
            {
                detail.Append(" (").Append(weeks.ToString("0", CultureInfo.InvariantCulture)).Append(" weeks)");
            }

            detail.Append(": ").Append(Verdict(trial)).Append('\n');
        }

        detail.Append('\n');
    }

    private static string Verdict(AntidepressantTrial trial)
    {
        var minimum = trial.Ingredient.MinimumDailyDoseMg is { } min ? CardFactory.Dose(min) : "no minimum dose known";
        if (trial.Failed)
        {
            return $"**failed adequate trial** (at or above the minimum {minimum}): {trial.FailureEvidence}";
        }

        if (trial.IsAdequate && trial.ResponseEvidence is not null)
        {
            return $"adequate trial (at or above {minimum}), **responded, not counted as failed**: {trial.ResponseEvidence}";
        }

        if (trial.IsAdequate)
        {
            return $"adequate trial (at or above {minimum}), no sign of non-response recorded";
        }

        if (trial.Dose == DoseAdequacy.BelowMinimum)
        {
            return $"not adequate: below the minimum {minimum}";
        }

        if (trial.Duration == DurationAdequacy.TooShort)
        {
            return "not adequate: shorter than the minimum duration";
        }

        var missing = new List<string>();
        if (trial.Dose == DoseAdequacy.Unknown)
        {
            missing.Add(trial.Ingredient.MinimumDailyDoseMg is null ? "no minimum dose in the table" : "dose missing");
        }

        if (trial.Duration == DurationAdequacy.Unknown)
        {
            missing.Add("duration missing");
        }

        return "adequacy not confirmed (" + string.Join(", ", missing) + ")";
    }

    private static void AppendStaging(StringBuilder detail, TrdAssessment trd, List<string> sources)
    {
        if (trd.Staging is not { } staging)
        {
            return;
        }

        sources.AddRange(["T12", "T8"]);
        sources.AddRange(staging.Sources);
        detail.Append("**Staging** (from what the record holds)\n")
            .Append("- Maudsley Staging Method: ").Append(staging.MaudsleyScore).Append(" of 15 (").Append(staging.MaudsleyBand).Append(")\n");
        foreach (var item in staging.MaudsleyItems)
        {
            detail.Append("  - ").Append(item.Name).Append(": ").Append(item.Score).Append(" - ").Append(item.Basis);
            if (item.Estimated)
            {
                detail.Append(" (estimated)");
            }

            detail.Append('\n');
        }

        if (staging.ThaseRushStage is { } stage)
        {
            detail.Append("- Thase-Rush stage: ").Append(stage).Append(" (").Append(staging.ThaseRushBasis).Append(")\n\n");
        }
        else
        {
            detail.Append("- Thase-Rush: ").Append(staging.ThaseRushBasis).Append("\n\n");
        }
    }
}
