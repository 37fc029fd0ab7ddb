using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Support.Clock;
using Ic = KetamineCds.Core.Engine.FindingCodes.InteractionClasses;
using MrStatus = Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus;

namespace KetamineCds.Core.Tests.Assessment;

public sealed class InteractionTests
{
    private static Resource[] TrdPatientWith(params Resource[] more) =>
        [Res.Patient(), Res.Condition(Res.Snomed, "1153570009", MonthsAgo(12)), Res.BloodPressure(DaysAgo(2), 120, 80), .. more];

    private static MedicationRequest Current(CodeableConcept medication, Dosage? dosage = null) =>
        Res.Request(medication, dosage, DaysAgo(30), null, MrStatus.Active);

    private static EvaluationOutcome SignEsketamine(params Resource[] more) =>
        EngineHarness.Sign([Res.Draft(Res.Rx("2119365", "esketamine"), "draft-esk")], TrdPatientWith(more));

    [Fact]
    public void One_card_per_class_naming_every_drug_in_it()
    {
        var outcome = SignEsketamine(
            Current(Res.Rx("7804", "oxycodone", "oxycodone 5 mg tablet"), Res.Dose(1, "tablet", 4)),
            Current(Res.Text("Ultram 50 mg tablet")), // tramadol by brand
            Current(Res.Rx("6470", "lorazepam")));

        var interactions = outcome.Cards.Where(c => c.Source.Topic!.Code == CardTopics.DrugInteraction).ToList();
        Assert.Equal(2, interactions.Count);
        var opioids = interactions.Single(c => c.Detail!.Contains("Opioids", StringComparison.Ordinal));
        Assert.Contains("oxycodone (oxycodone 5 mg tablet)", opioids.Detail, StringComparison.Ordinal);
        Assert.Contains("20 mg/day", opioids.Detail, StringComparison.Ordinal);
        Assert.Contains("tramadol (Ultram 50 mg tablet)", opioids.Detail, StringComparison.Ordinal);
        Assert.All(interactions, c => Assert.Equal(CardIndicator.Warning, c.Indicator));
        Assert.Contains(FindingCodes.InteractionPrefix + Ic.Opioids, outcome.Assessment!.Findings);
        Assert.Contains(FindingCodes.InteractionPrefix + Ic.Benzodiazepines, outcome.Assessment.Findings);
    }

    [Fact]
    public void Moderate_and_info_classes_give_info_cards()
    {
        // Issue 8: lamotrigine's management is "none needed", so it no longer gets a card (the old expectation was 2 cards).
        var outcome = SignEsketamine(Current(Res.Rx("6719", "memantine")), Current(Res.Rx("28439", "lamotrigine")), Current(Res.Rx("7243", "naltrexone")));

        Assert.Equal(2, outcome.Cards.Count);
        Assert.DoesNotContain(outcome.Cards, c => c.Detail!.Contains("lamotrigine", StringComparison.Ordinal));
        Assert.All(outcome.Cards, c => Assert.Equal(CardIndicator.Info, c.Indicator));
    }

    [Fact]
    public void Active_but_old_or_stopped_medications_are_not_current()
    {
        var ancient = Res.Request(Res.Rx("596", "alprazolam"), null, new DateTimeOffset(2018, 1, 5, 0, 0, 0, TimeSpan.Zero), null, MrStatus.Active);
        var stopped = Res.Request(Res.Rx("2598", "clonazepam"), null, DaysAgo(90), DaysAgo(10), MrStatus.Stopped);

        var outcome = SignEsketamine(ancient, stopped);

        Assert.Empty(outcome.Cards);
        Assert.DoesNotContain(FindingCodes.InteractionPrefix + Ic.Benzodiazepines, outcome.Assessment!.Findings);
    }

    [Fact]
    public void An_active_order_without_an_end_is_current_for_a_year_after_it_was_written()
    {
        // clonazepam ordered 5 months ago, still active, no end, supply or dispense: a chronic order kept active.
        var chronic = Res.Request(Res.Rx("2598", "clonazepam"), null, DaysAgo(150), null, MrStatus.Active);
        var statement = Res.Statement(Res.Rx("596", "alprazolam"), null, DaysAgo(200), null, MedicationStatement.MedicationStatusCodes.Active);
        var outcome = SignEsketamine(chronic, statement);

        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        Assert.Contains("clonazepam", card.Detail, StringComparison.Ordinal);
        Assert.Contains("alprazolam", card.Detail, StringComparison.Ordinal);
        Assert.Contains(FhirDate(DaysAgo(150)), card.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(140, true)] // 30-day supply ran out 110 days ago: within the 120-day window, a refill may be pending
    [InlineData(200, false)] // ran out 170 days ago
    public void An_active_order_whose_supply_ran_out_within_the_window_is_current(int authoredDaysAgo, bool current)
    {
        var order = Res.Request(Res.Rx("2598", "clonazepam"), null, DaysAgo(authoredDaysAgo), null, MrStatus.Active);
        order.DispenseRequest = new MedicationRequest.DispenseRequestComponent
        {
            ExpectedSupplyDuration = new Duration { Value = 30, Unit = "days", System = "http://unitsofmeasure.org", Code = "d" },
        };

        var outcome = SignEsketamine(order);

        Assert.Equal(current, outcome.Cards.Any(c => c.Source.Topic!.Code == CardTopics.DrugInteraction));
    }

    [Fact]
    public void A_grade_sourced_for_ketamine_only_is_not_claimed_for_esketamine_in_the_summary()
    {
        // Theophylline: "Major (ketamine)", no esketamine-label statement retrieved (clinical-criteria.md section 3).
        var esketamine = SignEsketamine(Current(Res.Rx("10438", "theophylline")));
        var ketamine = EngineHarness.Sign([Res.Draft(Res.Rx("6130", "ketamine"), "draft-k")], TrdPatientWith(Current(Res.Rx("10438", "theophylline"))));

        Assert.StartsWith("Major interaction reported for ketamine (none found for esketamine): theophylline", Assert.Single(esketamine.Cards).Summary, StringComparison.Ordinal);
        Assert.StartsWith("Major interaction with ketamine: theophylline", Assert.Single(ketamine.Cards).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_open_ended_window_is_configurable()
    {
        var engine = ClinicalEngineFactory.Create(new ClinicalOptions { OpenEndedActiveDays = 120 }, Res.Knowledge);
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx("2119365", "esketamine"))], []);

        var outcome = EngineHarness.Evaluate(hook, TrdPatientWith(Res.Request(Res.Rx("2598", "clonazepam"), null, DaysAgo(150), null, MrStatus.Active)), engine: engine);

        Assert.Empty(outcome.Cards);
    }

    private static string FhirDate(DateTimeOffset value) => value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Current_window_is_configurable()
    {
        var engine = ClinicalEngineFactory.Create(new ClinicalOptions { CurrentMedicationWindowDays = 20, OpenEndedActiveDays = 20 }, Res.Knowledge);
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx("2119365", "esketamine"))], []);

        var outcome = EngineHarness.Evaluate(hook, TrdPatientWith(Current(Res.Rx("6470", "lorazepam"))), engine: engine);

        Assert.Empty(outcome.Cards);
    }

    [Fact]
    public void Interacting_draft_while_on_esketamine_names_the_draft()
    {
        var onEsketamine = Res.Statement(Res.Text("Spravato 84 mg dose kit"), null, DaysAgo(40), null, MedicationStatement.MedicationStatusCodes.Active);
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx("39993", "zolpidem"), "draft-z", Res.Dose(5, "mg"))], []);

        var outcome = EngineHarness.Evaluate(hook, TrdPatientWith(onEsketamine, Current(Res.Rx("6470", "lorazepam"))));

        var card = Assert.Single(outcome.Cards);
        Assert.Equal(CardTopics.DrugInteraction, card.Source.Topic!.Code);
        Assert.Contains("zolpidem", card.Detail, StringComparison.Ordinal);
        Assert.Contains("draft order", card.Detail, StringComparison.Ordinal);
        Assert.Contains("esketamine (Spravato 84 mg dose kit)", card.Detail, StringComparison.Ordinal);
        Assert.True(outcome.Assessment!.OnKetamineTherapy);
        Assert.False(outcome.Assessment.KetamineOrdered);
    }

    [Fact]
    public void Interacting_draft_without_ketamine_therapy_gives_nothing()
    {
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx("39993", "zolpidem"), "draft-z")], []);

        var outcome = EngineHarness.Evaluate(hook, TrdPatientWith());

        Assert.Empty(outcome.Cards);
        Assert.False(outcome.RequiredDataMissing);
    }

    [Fact]
    public void Other_drafts_signed_with_the_ketamine_order_are_checked_too()
    {
        var outcome = EngineHarness.Sign(
            [Res.Draft(Res.Rx("6130", "ketamine"), "draft-k"), Res.Draft(Res.Rx("10438", "theophylline"), "draft-t")],
            TrdPatientWith());

        var card = Assert.Single(outcome.Cards);
        Assert.Contains("theophylline", card.Detail, StringComparison.Ordinal);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
    }
}
