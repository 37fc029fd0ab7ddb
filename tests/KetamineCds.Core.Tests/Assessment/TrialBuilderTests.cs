using Hl7.Fhir.Model;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Assessment.TrialTestKit;
using static KetamineCds.Core.Tests.Support.Clock;

namespace KetamineCds.Core.Tests.Assessment;

public sealed class TrialBuilderTests
{
    [Fact]
    public void Adequate_course_followed_by_another_antidepressant_is_a_failed_trial()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Request(Venlafaxine75, Res.Dose(1, "tablet", 2), MonthsAgo(8), MonthsAgo(2)));

        var sertraline = trd.Trials.Single(t => t.Ingredient.Name == "sertraline");
        Assert.Equal(DoseAdequacy.Adequate, sertraline.Dose);
        Assert.Equal(DurationAdequacy.Adequate, sertraline.Duration);
        Assert.Equal(100m, sertraline.DailyDoseMg);
        Assert.True(sertraline.Failed);
        Assert.Contains("venlafaxine", sertraline.FailureEvidence, StringComparison.Ordinal);

        // venlafaxine 75 mg twice daily = 150 mg/day = the minimum; nothing after it, no PHQ-9: adequate but not failed.
        var venlafaxine = trd.Trials.Single(t => t.Ingredient.Name == "venlafaxine");
        Assert.Equal(150m, venlafaxine.DailyDoseMg);
        Assert.True(venlafaxine.IsAdequate);
        Assert.False(venlafaxine.Failed);
        Assert.Equal(TrdStatus.NotMet, trd.Status);
    }

    [Fact]
    public void Phq9_at_or_above_threshold_after_minimum_duration_fails_the_trial()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(7), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(3), 14));

        var citalopram = trd.Trials.Single(t => t.Ingredient.Name == "citalopram");
        Assert.True(citalopram.Failed);
        Assert.Contains("PHQ-9 total 14", citalopram.FailureEvidence, StringComparison.Ordinal);
        Assert.Equal(TrdStatus.Met, trd.Status);
        Assert.Equal(["citalopram", "sertraline"], trd.Failed.Select(t => t.Ingredient.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Phq9_before_the_minimum_duration_or_below_threshold_does_not_count()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(7), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(7).AddDays(14), 20), // week 2
            Res.Phq9(MonthsAgo(3), 9)); // below 10

        Assert.False(trd.Trials.Single().Failed);
    }

    [Fact]
    public void A_switch_after_a_PHQ9_below_threshold_in_the_adequate_course_is_no_failure()
    {
        // sertraline 100 mg for 4 months, PHQ-9 4 at month 3 of it (responded), then escitalopram: a switch for another
        // reason (tolerability, preference), not non-response [T4]. Only citalopram can fail here, so no TRD.
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Phq9(MonthsAgo(9), 4),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(8), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(3), 14));

        var sertraline = trd.Trials.Single(t => t.Ingredient.Name == "sertraline");
        Assert.True(sertraline.IsAdequate);
        Assert.False(sertraline.Failed);
        Assert.Contains("PHQ-9 total 4", sertraline.ResponseEvidence, StringComparison.Ordinal);
        Assert.Contains("citalopram", sertraline.ResponseEvidence, StringComparison.Ordinal);
        Assert.True(trd.Trials.Single(t => t.Ingredient.Name == "citalopram").Failed);
        Assert.NotEqual(TrdStatus.Met, trd.Status);
    }

    [Fact]
    public void The_latest_PHQ9_of_the_adequate_course_decides_and_the_next_drugs_scores_are_not_this_trials()
    {
        // sertraline: PHQ-9 16 at month 3, 18 at month 4 -> failed. Citalopram: 15 after 8 weeks, then 6 -> responded.
        // The 6 comes after citalopram started, so it says nothing about sertraline.
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Phq9(MonthsAgo(9), 16),
            Res.Phq9(MonthsAgo(8).AddDays(-1), 18),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(8), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(5), 15),
            Res.Phq9(MonthsAgo(2), 6));

        Assert.True(trd.Trials.Single(t => t.Ingredient.Name == "sertraline").Failed);
        var citalopram = trd.Trials.Single(t => t.Ingredient.Name == "citalopram");
        Assert.False(citalopram.Failed);
        Assert.Contains("PHQ-9 total 6", citalopram.ResponseEvidence, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_order_without_an_end_written_seven_months_ago_runs_until_now()
    {
        // citalopram ordered 7 months ago and still active (no end, supply or dispense): taken until today, 30 weeks.
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(7), null, MedicationRequest.MedicationrequestStatus.Active),
            Res.Phq9(MonthsAgo(1), 18));

        var citalopram = trd.Trials.Single(t => t.Ingredient.Name == "citalopram");
        Assert.True(citalopram.IsAdequate);
        Assert.True(citalopram.Failed);
        Assert.Equal(TrdStatus.Met, trd.Status);
    }

    [Fact]
    public void During_a_cross_tapered_switch_the_scores_until_the_first_drug_stops_count()
    {
        // sertraline until month 8; citalopram started at month 9 (one month of overlap). PHQ-9 9 before the switch, then
        // 16 and 18 while both were taken: sertraline did not work; the 9 alone is not a response.
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Phq9(MonthsAgo(9).AddDays(-5), 9),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(9), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(9).AddDays(10), 16),
            Res.Phq9(MonthsAgo(8).AddDays(-3), 18));

        var sertraline = trd.Trials.Single(t => t.Ingredient.Name == "sertraline");
        Assert.True(sertraline.Failed);
        Assert.Null(sertraline.ResponseEvidence);
    }

    [Fact]
    public void Scores_after_an_augmentation_started_are_the_augmentations_not_the_trials()
    {
        // sertraline from month 12 to month 1; aripiprazole added at month 6 after PHQ-9 15. The later 5 is the
        // augmentation's effect: sertraline alone did not work.
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(7), 15),
            Res.Request(Res.Rx("89013", "aripiprazole"), OneTablet, MonthsAgo(6), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(2), 5));

        var sertraline = trd.Trials.Single(t => t.Ingredient.Name == "sertraline");
        Assert.True(sertraline.Failed);
        Assert.Contains("augmentation with aripiprazole", sertraline.FailureEvidence, StringComparison.Ordinal);
        Assert.Null(sertraline.ResponseEvidence);
    }

    [Fact]
    public void Phq9_threshold_is_configurable()
    {
        var options = new ClinicalOptions { Phq9NonResponseThreshold = 8 };
        var trd = Trd(
            options,
            Mdd(MonthsAgo(14)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(7), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(3), 9));

        Assert.True(trd.Trials.Single().Failed);
    }

    [Fact]
    public void Known_dose_below_the_minimum_is_not_adequate_and_not_unconfirmed()
    {
        // sertraline 25 mg/day, minimum 50 [T13]
        var trd = Trd(Mdd(MonthsAgo(14)), Res.Request(Res.Rx("312940", "sertraline 25 MG Oral Tablet"), OneTablet, MonthsAgo(12), MonthsAgo(6)));

        var trial = trd.Trials.Single();
        Assert.Equal(DoseAdequacy.BelowMinimum, trial.Dose);
        Assert.False(trial.IsAdequate);
        Assert.False(trial.Unconfirmed);
    }

    [Fact]
    public void Trial_shorter_than_minimum_weeks_is_too_short()
    {
        var trd = Trd(Mdd(MonthsAgo(14)), Res.Request(Sertraline100, OneTablet, WeeksAgo(20), WeeksAgo(16)));

        var trial = trd.Trials.Single();
        Assert.Equal(DurationAdequacy.TooShort, trial.Duration);
        Assert.False(trial.Unconfirmed);
    }

    [Fact]
    public void Minimum_weeks_is_configurable()
    {
        var trd = Trd(new ClinicalOptions { MinimumTrialWeeks = 4 }, Mdd(MonthsAgo(14)), Res.Request(Sertraline100, OneTablet, WeeksAgo(20), WeeksAgo(16)));

        Assert.Equal(DurationAdequacy.Adequate, trd.Trials.Single().Duration);
    }

    [Fact]
    public void Missing_dose_or_end_makes_the_trial_unconfirmed_and_two_make_trd_possible()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Res.Rx("36437", "sertraline"), null, MonthsAgo(12), MonthsAgo(8)), // ingredient code, no dose
            Res.Statement(Citalopram20, OneTablet, MonthsAgo(7), null)); // completed statement without an end

        Assert.All(trd.Trials, t => Assert.True(t.Unconfirmed));
        Assert.Equal(DoseAdequacy.Unknown, trd.Trials.Single(t => t.Ingredient.Name == "sertraline").Dose);
        Assert.Equal(DurationAdequacy.Unknown, trd.Trials.Single(t => t.Ingredient.Name == "citalopram").Duration);
        Assert.Equal(TrdStatus.Possible, trd.Status);
    }

    [Fact]
    public void Dispense_history_runs_from_first_hand_over_to_last_plus_days_supply()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Dispense(Sertraline50, DaysAgo(300), 30, 60),
            Res.Dispense(Sertraline50, DaysAgo(270), 30, 60),
            Res.Dispense(Sertraline50, DaysAgo(240), 30, 60));

        var trial = trd.Trials.Single();
        Assert.Equal(DaysAgo(300), trial.Start);
        Assert.Equal(DaysAgo(210), trial.LastKnown);
        Assert.Equal(100m, trial.DailyDoseMg); // 60 tablets x 50 mg / 30 days
        Assert.Equal(DurationAdequacy.Adequate, trial.Duration);
    }

    [Fact]
    public void Expected_supply_times_repeats_gives_the_request_duration()
    {
        var request = new MedicationRequest
        {
            Id = "mr-supply",
            Status = MedicationRequest.MedicationrequestStatus.Completed,
            Medication = Sertraline100,
            AuthoredOn = Res.Iso(MonthsAgo(10)),
            DosageInstruction = [OneTablet],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                NumberOfRepeatsAllowed = 2,
                ExpectedSupplyDuration = new Duration { Value = 30, Unit = "days", Code = "d" },
            },
        };

        var trial = Trd(Mdd(MonthsAgo(14)), request).Trials.Single();

        Assert.Equal(MonthsAgo(10).AddDays(90), trial.LastKnown);
        Assert.True(trial.EndKnown);
    }

    [Fact]
    public void Ancient_active_order_is_neither_current_nor_in_the_episode()
    {
        var ancient = Res.Request(Sertraline100, OneTablet, new DateTimeOffset(2015, 7, 3, 0, 0, 0, TimeSpan.Zero), null, MedicationRequest.MedicationrequestStatus.Active);
        var record = PatientRecord.FromResources([ancient]);

        var exposure = Exposures(new ClinicalOptions(), record).Single();
        Assert.False(exposure.IsCurrent);
        Assert.Null(exposure.End);

        var trd = Trd(Mdd(), ancient); // no onset: 24-month look-back
        Assert.Empty(trd.Trials);
        Assert.False(trd.EpisodeStartFromOnset);
        Assert.Equal(MonthsAgo(24), trd.EpisodeStart);
    }

    [Fact]
    public void Recent_active_order_is_current_and_runs_until_now()
    {
        var record = PatientRecord.FromResources([Res.Request(Sertraline100, OneTablet, DaysAgo(60), null, MedicationRequest.MedicationrequestStatus.Active)]);

        var exposure = Exposures(new ClinicalOptions(), record).Single();

        Assert.True(exposure.IsCurrent);
        Assert.Equal(Now, exposure.End);
    }

    [Fact]
    public void Trials_are_per_ingredient_within_the_episode()
    {
        var trd = Trd(
            Mdd(MonthsAgo(6)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(30), MonthsAgo(24)), // before the onset
            Res.Request(Res.Rx("312940", "sertraline 25 MG Oral Tablet"), OneTablet, MonthsAgo(5), MonthsAgo(3)), // below the minimum
            Res.Request(Sertraline100, OneTablet, MonthsAgo(3), MonthsAgo(1)));

        var trial = Assert.Single(trd.Trials);
        Assert.Equal(2, trial.Exposures.Count);
        Assert.Equal(100m, trial.DailyDoseMg);
        Assert.Equal(MonthsAgo(3), trial.AdequateFrom);
    }

    [Fact]
    public void Two_short_courses_with_a_long_gap_are_not_one_adequate_course()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, WeeksAgo(40), WeeksAgo(36)),
            Res.Request(Sertraline100, OneTablet, WeeksAgo(20), WeeksAgo(16)));

        var trial = Assert.Single(trd.Trials);
        Assert.Equal(DurationAdequacy.TooShort, trial.Duration);
        Assert.Equal(4, trial.Weeks!.Value, precision: 1);
    }

    [Fact]
    public void Back_to_back_orders_make_one_continuous_course()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, WeeksAgo(30), WeeksAgo(26)),
            Res.Request(Sertraline100, OneTablet, WeeksAgo(26).AddDays(3), WeeksAgo(22)));

        var trial = Assert.Single(trd.Trials);
        Assert.Equal(DurationAdequacy.Adequate, trial.Duration);
        Assert.Equal(WeeksAgo(30), trial.AdequateFrom);
    }

    [Fact]
    public void Augmentation_after_an_adequate_course_fails_the_trial_but_is_not_a_trial_itself()
    {
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(2)),
            Res.Request(Res.Rx("89013", "aripiprazole", "aripiprazole 5 mg tablet"), OneTablet, MonthsAgo(6), MonthsAgo(2)));

        var trial = Assert.Single(trd.Trials);
        Assert.True(trial.Failed);
        Assert.Contains("augmentation with aripiprazole", trial.FailureEvidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Lamotrigine_from_adult_depression_medications_is_not_an_antidepressant_trial()
    {
        var trd = Trd(Mdd(MonthsAgo(14)), Res.Request(Res.Rx("28439", "lamotrigine", "lamotrigine 100 mg tablet"), OneTablet, MonthsAgo(12), MonthsAgo(2)));

        Assert.Empty(trd.Trials);
    }

    [Fact]
    public void Bipolar_disorder_makes_trd_not_applicable_even_with_the_trd_code()
    {
        var trd = Trd(Res.Condition(Res.Snomed, "1153570009", MonthsAgo(10)), Res.Condition(Res.Icd10Cm, "F31.9", MonthsAgo(40)));

        Assert.Equal(TrdStatus.NotApplicable, trd.Status);
        Assert.Contains("bipolar", trd.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("F33.41")] // partial remission (in the VSAC set, excluded)
    [InlineData("F32.5")]
    public void Remission_codes_do_not_count_as_depression(string code)
    {
        Assert.Equal(TrdStatus.NotApplicable, Trd(Mdd(MonthsAgo(10), code)).Status);
    }

    [Fact]
    public void Trd_code_alone_is_met()
    {
        var trd = Trd(Res.Condition(Res.Snomed, "1153570009", MonthsAgo(10)));

        Assert.Equal(TrdStatus.Met, trd.Status);
        Assert.Contains("SNOMED 1153570009", trd.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void As_needed_orders_are_not_trials()
    {
        var prn = Res.Dose(1, "tablet");
        prn.AsNeeded = new FhirBoolean(true);
        var prnReason = Res.Dose(1, "tablet");
        prnReason.AsNeeded = Res.Text("insomnia");
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Sertraline100, prn, MonthsAgo(12), MonthsAgo(8)),
            Res.Request(Citalopram20, prnReason, MonthsAgo(7), MonthsAgo(1)),
            Res.Phq9(MonthsAgo(3), 20));

        Assert.Empty(trd.Trials);
        Assert.Equal(TrdStatus.NotMet, trd.Status);
    }

    [Theory]
    [InlineData(MedicationRequest.MedicationRequestIntent.Proposal)]
    [InlineData(MedicationRequest.MedicationRequestIntent.Plan)]
    [InlineData(MedicationRequest.MedicationRequestIntent.Option)]
    public void Requests_that_authorise_nothing_are_not_trials(MedicationRequest.MedicationRequestIntent intent)
    {
        var sertraline = Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8));
        var citalopram = Res.Request(Citalopram20, OneTablet, MonthsAgo(7), MonthsAgo(1));
        sertraline.Intent = intent;
        citalopram.Intent = intent;

        var trd = Trd(Mdd(MonthsAgo(14)), sertraline, citalopram, Res.Phq9(MonthsAgo(3), 20));

        Assert.Empty(trd.Trials);
        Assert.Equal(TrdStatus.NotMet, trd.Status);
    }

    [Fact]
    public void A_proposal_started_after_an_adequate_course_is_no_switch()
    {
        var proposal = Res.Request(Citalopram20, OneTablet, MonthsAgo(7), MonthsAgo(1));
        proposal.Intent = MedicationRequest.MedicationRequestIntent.Proposal;

        var trd = Trd(Mdd(MonthsAgo(14)), Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)), proposal);

        Assert.False(trd.Trials.Single().Failed);
    }

    [Fact]
    public void Dose_in_ml_of_an_oral_solution_uses_the_scd_concentration()
    {
        // citalopram 2 MG/ML Oral Solution (RxNorm 309313), 10 mL once daily = 20 mg/day = the minimum [T13].
        var trd = Trd(
            Mdd(MonthsAgo(14)),
            Res.Request(Res.Rx("309313", "citalopram 2 MG/ML Oral Solution"), Res.Dose(10, "mL"), MonthsAgo(12), MonthsAgo(8)));

        var citalopram = trd.Trials.Single();
        Assert.Equal(20m, citalopram.DailyDoseMg);
        Assert.Equal(DoseAdequacy.Adequate, citalopram.Dose);
    }

    [Fact]
    public void Dose_in_ml_uses_the_medication_ingredient_strength_ratio()
    {
        var medication = new Medication
        {
            Id = "oral-solution",
            Code = Res.Text("house oral solution"),
            Ingredient =
            [
                new Medication.IngredientComponent
                {
                    Item = Res.Rx("36437", "sertraline"),
                    Strength = new Ratio(new Quantity(100m, "mg"), new Quantity(5m, "mL")),
                },
            ],
        };
        var request = Res.Request(Res.Text("placeholder"), Res.Dose(2.5m, "mL", 2), MonthsAgo(12), MonthsAgo(8));
        request.Medication = new ResourceReference("Medication/oral-solution");

        var trd = Trd(Mdd(MonthsAgo(14)), medication, request);

        // 100 mg / 5 mL = 20 mg/mL; 2.5 mL twice daily = 100 mg/day.
        Assert.Equal(100m, trd.Trials.Single().DailyDoseMg);
    }

    [Fact]
    public void Another_antidepressant_after_a_long_gap_without_any_is_no_switch()
    {
        // Sertraline 100 mg for 4 months ending 20 months ago; citalopram started 8 months ago: a year without an
        // antidepressant (possible remission and relapse), so sertraline did not fail by a switch.
        var trd = Trd(
            Mdd(MonthsAgo(30)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(24), MonthsAgo(20)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(8), MonthsAgo(1)));

        Assert.False(trd.Trials.Single(t => t.Ingredient.Name == "sertraline").Failed);

        // The gap is a configurable clinical option.
        var lenient = Trd(
            new ClinicalOptions { MaximumSwitchGapDays = 400 },
            Mdd(MonthsAgo(30)),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(24), MonthsAgo(20)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(8), MonthsAgo(1)));
        Assert.True(lenient.Trials.Single(t => t.Ingredient.Name == "sertraline").Failed);
    }
}
