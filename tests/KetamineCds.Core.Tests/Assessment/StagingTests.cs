using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Assessment.TrialTestKit;
using static KetamineCds.Core.Tests.Support.Clock;

namespace KetamineCds.Core.Tests.Assessment;

public sealed class StagingTests
{
    [Fact]
    public void Maudsley_items_come_from_onset_coded_severity_failures_augmentation_and_ect()
    {
        // Onset 30 months ago (chronic: 3), F33.3 severe with psychotic features (5), 2 failures (1), no augmentation (0), ECT not readable (0).
        var trd = Trd(
            Mdd(MonthsAgo(30), "F33.3"),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(12), MonthsAgo(8)),
            Res.Request(Venlafaxine75, Res.Dose(2, "tablet"), MonthsAgo(8), MonthsAgo(2)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(2), null, Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus.Active));

        var staging = trd.Staging!;
        Assert.Equal([3, 5, 1, 0, 0], staging.MaudsleyItems.Select(i => i.Score));
        Assert.Equal(9, staging.MaudsleyScore);
        Assert.Equal("moderate", staging.MaudsleyBand);
        Assert.False(staging.MaudsleyItems[1].Estimated);
        Assert.True(staging.MaudsleyItems[4].Estimated); // ECT cannot be read from the record
        Assert.Equal("II", staging.ThaseRushStage); // SSRI and SNRI failed
    }

    [Fact]
    public void Missing_onset_and_uncoded_severity_are_estimated_and_say_how()
    {
        var trd = Trd(
            Res.Condition(Res.Snomed, "370143000"), // "Major depressive disorder": no severity, no onset
            Res.Request(Sertraline100, OneTablet, MonthsAgo(20), MonthsAgo(15)),
            Res.Request(Res.Rx("283407", "mirtazapine 30 MG Disintegrating Oral Tablet"), OneTablet, MonthsAgo(14), MonthsAgo(8)),
            Res.Request(Res.Rx("89013", "aripiprazole 5 mg"), OneTablet, MonthsAgo(10), MonthsAgo(8)));

        var items = trd.Staging!.MaudsleyItems;
        Assert.True(items[0].Estimated);
        Assert.Contains("estimated from the first antidepressant", items[0].Basis, StringComparison.Ordinal);
        Assert.Equal(2, items[0].Score); // 20 months
        Assert.True(items[1].Estimated);
        Assert.Equal(3, items[1].Score);
        Assert.Equal(1, items[3].Score); // aripiprazole augmentation
    }

    [Fact]
    public void Thase_rush_stage_three_needs_a_tca_failure_on_top_of_two_other_classes_and_four_an_maoi()
    {
        var stageIII = Trd(
            Mdd(MonthsAgo(40), "F33.2"),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(36), MonthsAgo(30)),
            Res.Request(Venlafaxine75, Res.Dose(2, "tablet"), MonthsAgo(30), MonthsAgo(24)),
            Res.Request(Nortriptyline, Res.Dose(75, "mg"), MonthsAgo(24), MonthsAgo(18)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(18), MonthsAgo(16)));
        Assert.Equal("III", stageIII.Staging!.ThaseRushStage);

        var stageIV = Trd(
            Mdd(MonthsAgo(40), "F33.2"),
            Res.Request(Sertraline100, OneTablet, MonthsAgo(36), MonthsAgo(30)),
            Res.Request(Venlafaxine75, Res.Dose(2, "tablet"), MonthsAgo(30), MonthsAgo(24)),
            Res.Request(Nortriptyline, Res.Dose(75, "mg"), MonthsAgo(24), MonthsAgo(18)),
            Res.Request(Phenelzine, Res.Dose(15, "mg", 3), MonthsAgo(18), MonthsAgo(10)),
            Res.Request(Citalopram20, OneTablet, MonthsAgo(10), MonthsAgo(8)));
        Assert.Equal("IV", stageIV.Staging!.ThaseRushStage);
        Assert.Contains("ECT", stageIV.Staging.ThaseRushBasis, StringComparison.Ordinal);
        Assert.Equal(2, stageIV.Staging.MaudsleyItems[2].Score); // 4 failures: level 2
    }

    [Fact]
    public void Ect_before_the_current_episode_or_without_a_date_is_not_counted_and_the_card_says_so()
    {
        // Episode from the F33.1 onset 10 months ago; ECT (SNOMED 23835007) 14 months ago belongs to an earlier episode.
        var trd = Trd(
            Mdd(MonthsAgo(10)),
            Ect("23835007", MonthsAgo(14)),
            Ect("313020008", null));

        var item = trd.Staging!.MaudsleyItems[4];
        Assert.Equal(0, item.Score);
        Assert.True(item.Estimated);
        Assert.Contains("ECT before the episode not counted: Electroconvulsive therapy on " + Day(MonthsAgo(14)) + " (SNOMED 23835007", item.Basis, StringComparison.Ordinal);
        Assert.Contains("1 ECT procedure(s) without a performed date not counted", item.Basis, StringComparison.Ordinal);
        Assert.Equal(["C-PV"], trd.Staging.Sources);
    }

    [Fact]
    public void Ect_in_the_episode_scores_one_and_names_the_latest_procedure()
    {
        var trd = Trd(
            Mdd(MonthsAgo(10)),
            Ect("313019002", MonthsAgo(4)),
            Ect("GZB4ZZZ", MonthsAgo(3), "http://www.cms.gov/Medicare/Coding/ICD10"));

        var item = trd.Staging!.MaudsleyItems[4];
        Assert.Equal(1, item.Score);
        Assert.False(item.Estimated);
        Assert.StartsWith("used: Electroconvulsive therapy on " + Day(MonthsAgo(3)) + " (ICD-10-PCS GZB4ZZZ, code status V-weak", item.Basis, StringComparison.Ordinal);
        Assert.EndsWith("; 2 ECT procedures in the episode", item.Basis, StringComparison.Ordinal);
        Assert.Equal(["W-GZB", "C-PV"], trd.Staging.Sources);
    }

    [Fact]
    public void Ect_procedure_text_from_the_ehr_is_escaped()
    {
        var ect = Ect("23835007", MonthsAgo(2));
        ect.Code!.Text = "[click](javascript:alert(1)) <img src=x onerror=alert(1)>";
        var trd = Trd(Mdd(MonthsAgo(10)), ect);

        var basis = trd.Staging!.MaudsleyItems[4].Basis;
        Assert.StartsWith("used: ", basis, StringComparison.Ordinal);
        Assert.DoesNotContain("[click](", basis, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Ect_with_an_unknown_code_is_not_ect()
    {
        var trd = Trd(Mdd(MonthsAgo(10)), Ect("GZB1ZZZ", MonthsAgo(3), "http://www.cms.gov/Medicare/Coding/ICD10"));

        // GZB1ZZZ (multiple seizure) appears only in older lists (9.3) and is not in the data.
        Assert.Equal(0, trd.Staging!.MaudsleyItems[4].Score);
        Assert.True(trd.Staging.MaudsleyItems[4].Estimated);
    }

    [Fact]
    public void No_failures_is_not_a_thase_rush_stage()
    {
        // Issue 8: Thase-Rush has stages I-V only; the old expectation "0" printed a stage the method does not have.
        var trd = Trd(Mdd(MonthsAgo(5), "F32.0"));

        Assert.Null(trd.Staging!.ThaseRushStage);
        Assert.Contains("not staged", trd.Staging.ThaseRushBasis, StringComparison.Ordinal);
        Assert.Equal(2, trd.Staging.MaudsleyItems[1].Score); // mild
        Assert.Equal(4, trd.Staging.MaudsleyScore); // 1 + 2 + 1 + 0 + 0
    }

    private static Hl7.Fhir.Model.Procedure Ect(string code, DateTimeOffset? performed, string system = "http://snomed.info/sct") => new()
    {
        Status = Hl7.Fhir.Model.EventStatus.Completed,
        Code = new Hl7.Fhir.Model.CodeableConcept(system, code, "Electroconvulsive therapy"),
        Performed = performed is null ? null : new Hl7.Fhir.Model.FhirDateTime(performed.Value),
    };

    private static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
