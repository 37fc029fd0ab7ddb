using Hl7.Fhir.Model;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Support.Clock;

namespace KetamineCds.Core.Tests.Assessment;

public sealed class BloodPressureTests
{
    private static BloodPressureAssessment Assess(ClinicalOptions options, params Observation[] observations) =>
        BloodPressureAssessor.Assess(options, ObservationFacts.Build(Res.Knowledge, observations), available: true, Now);

    private static BloodPressureAssessment Assess(params Observation[] observations) => Assess(new ClinicalOptions(), observations);

    [Theory]
    [InlineData(152, 88, true)]
    [InlineData(132, 94, true)]
    [InlineData(140, 90, false)] // "above" 140/90, the label's ">140 or >90"
    [InlineData(118, 76, false)]
    public void Panel_components_are_compared_with_the_threshold(int systolic, int diastolic, bool elevated)
    {
        var result = Assess(Res.BloodPressure(DaysAgo(2), systolic, diastolic));

        Assert.Equal(elevated ? BloodPressureStatus.Elevated : BloodPressureStatus.Normal, result.Status);
        Assert.Equal($"{systolic}/{diastolic} mmHg", result.Reading);
    }

    [Fact]
    public void Separate_systolic_and_diastolic_observations_are_read()
    {
        var systolic = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept(Res.Loinc, "8480-6"), Effective = new FhirDateTime(DaysAgo(1)), Value = new Quantity(146, "mm[Hg]") };
        var diastolic = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept(Res.Loinc, "8462-4"), Effective = new FhirDateTime(DaysAgo(1)), Value = new Quantity(84, "mm[Hg]") };

        var result = Assess(systolic, diastolic);

        Assert.Equal(BloodPressureStatus.Elevated, result.Status);
        Assert.Equal(146m, result.Systolic!.Value.Value);
    }

    [Fact]
    public void The_latest_reading_decides()
    {
        Assert.Equal(BloodPressureStatus.Normal, Assess(Res.BloodPressure(DaysAgo(20), 162, 102), Res.BloodPressure(DaysAgo(2), 124, 78)).Status);
        Assert.Equal(BloodPressureStatus.Elevated, Assess(Res.BloodPressure(DaysAgo(20), 120, 80), Res.BloodPressure(DaysAgo(1), 158, 92)).Status);
    }

    [Fact]
    public void Reading_older_than_the_window_is_not_recent()
    {
        Assert.Equal(BloodPressureStatus.NotRecent, Assess(Res.BloodPressure(DaysAgo(45), 170, 100)).Status);
        Assert.Equal(BloodPressureStatus.NotRecent, Assess().Status);
    }

    [Fact]
    public void Threshold_and_window_are_configurable()
    {
        var options = new ClinicalOptions { BloodPressure = new BloodPressureThreshold { Systolic = 130, Diastolic = 80 }, BloodPressureWindowDays = 60 };

        Assert.Equal(BloodPressureStatus.Elevated, Assess(options, Res.BloodPressure(DaysAgo(45), 135, 78)).Status);
    }

    [Fact]
    public void Entered_in_error_reading_is_ignored()
    {
        var wrong = Res.BloodPressure(DaysAgo(1), 190, 110);
        wrong.Status = ObservationStatus.EnteredInError;

        Assert.Equal(BloodPressureStatus.Normal, Assess(Res.BloodPressure(DaysAgo(3), 120, 80), wrong).Status);
    }

    [Fact]
    public void Unavailable_observations_give_unknown_not_a_not_recent_finding()
    {
        var result = BloodPressureAssessor.Assess(new ClinicalOptions(), ObservationFacts.Build(Res.Knowledge, []), available: false, Now);

        Assert.Equal(BloodPressureStatus.Unknown, result.Status);
    }

    [Fact]
    public void Engine_reports_blood_pressure_findings_on_a_ketamine_order()
    {
        var outcome = EngineHarness.Sign([Res.Draft(Res.Rx("2119365", "esketamine"))], Res.Patient(), Res.Condition(Res.Snomed, "1153570009"), Res.BloodPressure(DaysAgo(3), 150, 95));

        Assert.Contains(Engine.FindingCodes.BloodPressureElevated, outcome.Assessment!.Findings);
        var card = Assert.Single(outcome.Cards);
        Assert.Equal(KetamineCds.Core.Cards.CardIndicator.Warning, card.Indicator);
        Assert.Contains("150/95 mmHg", card.Detail, StringComparison.Ordinal);
        Assert.Contains("systolic 150 above 140 and diastolic 95 above 90", card.Summary, StringComparison.Ordinal); // issue 8: names the elevated part(s)
    }
}
