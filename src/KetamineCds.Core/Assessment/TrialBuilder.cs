using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// Builds per-ingredient antidepressant trials in the current episode and judges adequacy (dose at or above the
/// minimum [T13] for at least <see cref="ClinicalOptions.MinimumTrialWeeks"/>) and failure (after an adequate course,
/// another antidepressant or an augmentation agent was started, or a PHQ-9 total at or above the threshold was recorded).
/// </summary>
internal static class TrialBuilder
{
    public static List<AntidepressantTrial> Build(
        IReadOnlyList<MedicationExposure> exposures,
        IReadOnlyList<ObservationValue> phq9,
        DateTimeOffset episodeStart,
        DateTimeOffset now,
        ClinicalOptions options)
    {
        var inEpisode = exposures
            .Where(e => e.Source != MedicationSourceKind.DraftOrder && e.IsCourse && e.Start is not null && e.Start <= now && (e.LastKnown ?? e.Start) >= episodeStart)
            .ToList();
        var minimum = TimeSpan.FromDays(7 * options.MinimumTrialWeeks);
        var trials = new List<AntidepressantTrial>();
        foreach (var group in inEpisode.Where(e => e.Ingredient.CountsForTrials).GroupBy(e => e.Ingredient))
        {
            trials.Add(BuildTrial(group.Key, group.OrderBy(e => e.Start).ToList(), inEpisode, phq9, now, minimum, options));
        }

        return trials.OrderBy(t => t.Start).ToList();
    }

    private static AntidepressantTrial BuildTrial(
        Ingredient ingredient,
        List<MedicationExposure> exposures,
        List<MedicationExposure> episode,
        IReadOnlyList<ObservationValue> phq9,
        DateTimeOffset now,
        TimeSpan minimum,
        ClinicalOptions options)
    {
        var start = exposures.Min(e => e.Start);
        var latest = exposures.MaxBy(e => e.LastKnown ?? DateTimeOffset.MinValue)!;
        var lastKnown = latest.LastKnown;
        if (lastKnown > now)
        {
            lastKnown = now;
        }

        var endKnown = exposures.All(e => e.End is not null);
        var maxDose = exposures.Where(e => e.DailyDoseMg is not null).Select(e => e.DailyDoseMg).Max();

        DoseAdequacy dose;
        if (ingredient.MinimumDailyDoseMg is not { } min || maxDose is null)
        {
            dose = DoseAdequacy.Unknown;
        }
        else if (maxDose >= min)
        {
            dose = DoseAdequacy.Adequate;
        }
        else
        {
            // Known doses are all below the minimum; an exposure without a dose might still have been adequate.
            dose = exposures.Any(e => e.DailyDoseMg is null) ? DoseAdequacy.Unknown : DoseAdequacy.BelowMinimum;
        }

        // Duration: the longest continuous course (at or above the minimum dose when the dose is known to be adequate).
        var courseExposures = dose == DoseAdequacy.Adequate
            ? exposures.Where(e => e.DailyDoseMg >= ingredient.MinimumDailyDoseMg).ToList()
            : exposures;
        var courses = Courses(courseExposures, now);
        var adequateCourse = courses.FirstOrDefault(c => c.End - c.Start >= minimum);
        var longest = courses.MaxBy(c => c.End - c.Start);
        var chosen = adequateCourse ?? longest;
        double? weeks = chosen is null ? null : (chosen.End - chosen.Start).TotalDays / 7;
        DurationAdequacy duration;
        if (chosen is null)
        {
            duration = DurationAdequacy.Unknown;
        }
        else if (adequateCourse is not null)
        {
            duration = DurationAdequacy.Adequate;
        }
        else
        {
            duration = courses.Any(c => c.OpenEnded) ? DurationAdequacy.Unknown : DurationAdequacy.TooShort;
        }

        var adequateFrom = dose == DoseAdequacy.Adequate ? (adequateCourse ?? longest)?.Start : null;

        string? failure = null;
        string? response = null;
        if (dose == DoseAdequacy.Adequate && adequateCourse is not null)
        {
            var courseEnd = adequateCourse.OpenEnded ? now : adequateCourse.End;
            (failure, response) = Outcome(ingredient, adequateCourse.Start + minimum, courseEnd, episode, phq9, options);
        }

        return new AntidepressantTrial
        {
            Ingredient = ingredient,
            Exposures = exposures,
            Start = start,
            LastKnown = lastKnown,
            EndKnown = endKnown,
            DailyDoseMg = maxDose,
            Dose = dose,
            Duration = duration,
            Weeks = weeks,
            AdequateFrom = adequateFrom,
            FailureEvidence = failure,
            ResponseEvidence = response,
        };
    }

    /// <summary>
    /// Merges exposures into continuous courses (a gap of up to <see cref="CourseGapDays"/> days is bridged).
    /// An exposure without a known end counts up to its start (open-ended: its real length is unknown).
    /// </summary>
    private static List<Course> Courses(IEnumerable<MedicationExposure> exposures, DateTimeOffset now)
    {
        var courses = new List<Course>();
        foreach (var e in exposures.Where(e => e.Start is not null).OrderBy(e => e.Start))
        {
            var start = e.Start!.Value;
            var end = e.End is { } known ? (known > now ? now : known) : start;
            var open = e.End is null;
            if (end < start)
            {
                end = start;
            }

            var last = courses.Count > 0 ? courses[^1] : null;
            if (last is not null && start <= last.End.AddDays(CourseGapDays))
            {
                courses[^1] = end >= last.End ? last with { End = end, OpenEnded = open } : last with { OpenEnded = last.OpenEnded || open };
            }
            else
            {
                courses.Add(new Course(start, end, open));
            }
        }

        return courses;
    }

    /// <summary>Refill gaps up to this many days do not break a course (implementation choice, not a clinical rule).</summary>
    private const int CourseGapDays = 14;

    private sealed record Course(DateTimeOffset Start, DateTimeOffset End, bool OpenEnded);

    /// <summary>
    /// Failure evidence (a switch or augmentation soon after the adequate course, or a PHQ-9 at or above the threshold
    /// during it), unless the latest PHQ-9 of the adequate course is below the threshold: the patient responded, and a
    /// later switch (tolerability, preference) is not failure [T4: failure is &lt;25% improvement].
    /// </summary>
    private static (string? Failure, string? Response) Outcome(
        Ingredient ingredient,
        DateTimeOffset adequateCourseEnd,
        DateTimeOffset? trialEnd,
        List<MedicationExposure> episode,
        IReadOnlyList<ObservationValue> phq9,
        ClinicalOptions options)
    {
        // A start long after the trial's last known dose may follow remission and relapse: not failure evidence.
        var latestSwitch = (trialEnd ?? adequateCourseEnd).AddDays(options.MaximumSwitchGapDays);
        var next = episode
            .Where(e => !ReferenceEquals(e.Ingredient, ingredient)
                && e.Ingredient.Role is IngredientRole.Antidepressant or IngredientRole.Augmentation
                && e.Start >= adequateCourseEnd
                && e.Start <= latestSwitch)
            .OrderBy(e => e.Start)
            .FirstOrDefault();

        // Scores of the adequate course, up to its end. An augmentation runs alongside the course: scores after it started
        // are the augmentation's effect, not this drug's. A cross-tapered switch keeps the scores until this drug stops.
        var until = next is { Ingredient.Role: IngredientRole.Augmentation, Start: { } augmented } && (trialEnd is null || augmented < trialEnd)
            ? augmented
            : trialEnd;
        var during = phq9.Where(p => p.When >= adequateCourseEnd && (until is null || p.When <= until)).OrderBy(p => p.When).ToList();
        if (during.Count > 0 && during[^1].Value < options.Phq9NonResponseThreshold)
        {
            var latest = during[^1];
            var response = $"PHQ-9 total {latest.Value:0} on {FhirDates.Format(latest.When)} (LOINC 44261-6, below {options.Phq9NonResponseThreshold}) during the adequate course";
            if (next is not null)
            {
                response += $"; the start of {next.Ingredient.Name} on {FhirDates.Format(next.Start)} is not read as failure";
            }

            return (null, response);
        }

        var reasons = new List<string>();
        if (next is not null)
        {
            var verb = next.Ingredient.Role == IngredientRole.Augmentation ? "augmentation with" : "another antidepressant,";
            reasons.Add($"{verb} {next.Ingredient.Name}, started {FhirDates.Format(next.Start)} after an adequate course");
        }

        var score = during.Where(p => p.Value >= options.Phq9NonResponseThreshold).Select(p => (ObservationValue?)p).FirstOrDefault();
        if (score is { } s)
        {
            reasons.Add($"PHQ-9 total {s.Value:0} on {FhirDates.Format(s.When)} (LOINC 44261-6, at or above {options.Phq9NonResponseThreshold})");
        }

        return (reasons.Count == 0 ? null : string.Join("; ", reasons), null);
    }
}
