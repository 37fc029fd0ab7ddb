using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// Computes MSM (duration, severity, failed antidepressants, augmentation, ECT; total 3-15, bands mild 3-6, moderate 7-10,
/// severe 11-15 [T12]) and the Thase-Rush stage [T8]. Items the record cannot show are estimated and say so.
/// </summary>
internal static class StagingCalculator
{
    public static Staging Compute(
        KnowledgeBase knowledge,
        IReadOnlyList<ConditionEvidence> depression,
        DateTimeOffset? onset,
        IReadOnlyList<AntidepressantTrial> trials,
        IReadOnlyList<MedicationExposure> episodeExposures,
        EctFacts ect,
        DateTimeOffset episodeStart,
        DateTimeOffset now)
    {
        // ECT counts in the current episode as the other items do: performed (end, else start) on or after the episode
        // start and started by now. The latest one is named.
        var episodeEct = ect.Procedures
            .Where(p => p.Start is { } start && start <= now && p.When >= episodeStart)
            .OrderByDescending(p => p.When)
            .ToList();
        var items = new List<StagingItem>
        {
            Duration(onset, trials, now),
            Severity(knowledge, depression),
            Failures(trials),
            Augmentation(episodeExposures),
            Electroconvulsive(ect, episodeEct, episodeStart),
        };
        var total = items.Sum(i => i.Score);
        var band = total switch
        {
            <= 6 => "mild",
            <= 10 => "moderate",
            _ => "severe",
        };
        var (stage, basis) = ThaseRush(trials, ect, episodeEct);
        var named = episodeEct.Count > 0 ? episodeEct : ect.Procedures.Where(p => p.When < episodeStart);
        return new Staging(total, band, items, stage, basis)
        {
            Sources = named.Select(p => p.Code.Source.Split(':', 2)[0]).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static StagingItem Duration(DateTimeOffset? onset, IReadOnlyList<AntidepressantTrial> trials, DateTimeOffset now)
    {
        var from = onset;
        var estimated = false;
        var basis = $"episode onset {FhirDates.Format(onset)}";
        if (from is null)
        {
            from = trials.Where(t => t.Start is not null).Min(t => t.Start);
            estimated = true;
            basis = from is null
                ? "onset not recorded and no antidepressant in the look-back; counted as acute"
                : $"onset not recorded; estimated from the first antidepressant in the look-back ({FhirDates.Format(from)})";
        }

        var months = from is null ? 0 : ((now.Year - from.Value.Year) * 12) + now.Month - from.Value.Month;
        var score = months switch
        {
            <= 12 => 1,
            <= 24 => 2,
            _ => 3,
        };
        return new StagingItem("Duration", score, $"{basis}: {Math.Max(0, months)} months", estimated);
    }

    private static StagingItem Severity(KnowledgeBase knowledge, IReadOnlyList<ConditionEvidence> depression)
    {
        var best = depression
            .Select(d => (d, score: knowledge.DepressionSeverity.TryGetValue(d.CodeKey, out var s) ? s : 0))
            .Where(x => x.score > 0)
            .OrderByDescending(x => x.score)
            .FirstOrDefault();
        if (best.d is not null)
        {
            return new StagingItem("Symptom severity", best.score, $"from the coded diagnosis {best.d.Code} ({best.d.Text})", false);
        }

        return new StagingItem("Symptom severity", 3, "severity not coded in the diagnosis; scored as syndromal - moderate (3)", true);
    }

    private static StagingItem Failures(IReadOnlyList<AntidepressantTrial> trials)
    {
        var failed = trials.Count(t => t.Failed);
        var score = failed switch
        {
            <= 2 => 1,
            <= 4 => 2,
            <= 6 => 3,
            <= 10 => 4,
            _ => 5,
        };
        var unconfirmed = trials.Count(t => t.Unconfirmed);
        var basis = $"{failed} failed adequate trial(s) counted";
        if (unconfirmed > 0)
        {
            basis += $"; {unconfirmed} trial(s) with unconfirmed adequacy not counted";
        }

        return new StagingItem("Treatment failures", score, basis, failed == 0 || unconfirmed > 0);
    }

    private static StagingItem Augmentation(IReadOnlyList<MedicationExposure> episodeExposures)
    {
        var agents = episodeExposures
            .Where(e => e.Ingredient.Role == IngredientRole.Augmentation)
            .Select(e => e.Ingredient.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return agents.Count > 0
            ? new StagingItem("Augmentation", 1, "used: " + string.Join(", ", agents), false)
            : new StagingItem("Augmentation", 0, "no augmentation agent (lithium, aripiprazole, brexpiprazole, quetiapine, olanzapine) in the episode", false);
    }

    /// <summary>MSM ECT item [T12]: used (1) when an ECT procedure is in the episode; otherwise 0 and estimated (no outcome or absence is certain).</summary>
    private static StagingItem Electroconvulsive(EctFacts ect, List<EctProcedure> episodeEct, DateTimeOffset episodeStart)
    {
        const string name = "Electroconvulsive therapy";
        if (!ect.Available)
        {
            return new StagingItem(name, 0, "procedure history could not be obtained; scored as not used", true);
        }

        if (episodeEct.Count > 0)
        {
            var basis = "used: " + episodeEct[0].Describe();
            if (episodeEct.Count > 1)
            {
                basis += $"; {episodeEct.Count} ECT procedures in the episode";
            }

            return new StagingItem(name, 1, basis, false);
        }

        var notes = new List<string> { "no ECT procedure in the current episode; scored as not used" };
        var before = ect.Procedures.Where(p => p.When < episodeStart).MaxBy(p => p.When);
        if (before is not null)
        {
            notes.Add("ECT before the episode not counted: " + before.Describe());
        }

        var undated = ect.Procedures.Count(p => p.Start is null);
        if (undated > 0)
        {
            notes.Add($"{undated} ECT procedure(s) without a performed date not counted");
        }

        return new StagingItem(name, 0, string.Join("; ", notes), true);
    }

    private static (string? Stage, string Basis) ThaseRush(IReadOnlyList<AntidepressantTrial> trials, EctFacts ect, List<EctProcedure> episodeEct)
    {
        var failedClasses = trials.Where(t => t.Failed)
            .Select(t => t.Ingredient.AntidepressantClass ?? "other")
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (failedClasses.Count == 0)
        {
            return (null, "not staged: no failed adequate trial, and the method's stages start at I (one failed adequate trial)");
        }

        var nonTca = failedClasses.Count(c => !c.Equals("TCA", StringComparison.OrdinalIgnoreCase) && !c.Equals("MAOI", StringComparison.OrdinalIgnoreCase));
        var tca = failedClasses.Contains("TCA");
        var maoi = failedClasses.Contains("MAOI");
        var classes = string.Join(", ", failedClasses.Order(StringComparer.Ordinal));
        string stage;
        if (failedClasses.Count < 2)
        {
            stage = "I";
        }
        else if (nonTca >= 2 && tca && maoi)
        {
            stage = "IV";
        }
        else if (nonTca >= 2 && tca)
        {
            stage = "III";
        }
        else
        {
            stage = "II";
        }

        var basis = $"failed classes: {classes}";
        if (stage == "IV")
        {
            var bilateral = episodeEct.Find(p => p.Bilateral);
            if (bilateral is not null)
            {
                // The record holds no ECT outcome: a bilateral course in an episode whose depression is still active is read as failed.
                stage = "V";
                basis += "; bilateral ECT in the current episode, depression still active (read as a failed course): " + bilateral.Describe();
            }
            else if (episodeEct.Count > 0)
            {
                basis += "; stage V needs a failed course of bilateral ECT: the ECT recorded is not coded as bilateral (" + episodeEct[0].Describe() + ")";
            }
            else
            {
                basis += ect.Available
                    ? "; stage V needs a failed course of bilateral ECT: no ECT procedure in the current episode"
                    : "; stage V needs a failed course of bilateral ECT: procedure history could not be obtained";
            }
        }

        return (stage, basis);
    }
}
