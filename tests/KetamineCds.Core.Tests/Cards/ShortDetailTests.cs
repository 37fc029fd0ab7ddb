using System.Globalization;
using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Support.Clock;
using MrStatus = Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus;

namespace KetamineCds.Core.Tests.Cards;

/// <summary>
/// The compact detail of the TRD cards (<see cref="CdsCard.ShortDetail"/>), used by the host when the card links to
/// the assessment app (issue 10): still says why, what is missing and what to check, cites the sources, and points
/// to the app.
/// </summary>
public sealed class ShortDetailTests
{
    private static string Day(DateTimeOffset value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>MDD (F33.2, onset 18 months ago), sertraline 100 mg then venlafaxine 150 mg: TRD met.</summary>
    private static List<Resource> TrdPatient() =>
    [
        Res.Patient(),
        Res.Condition(Res.Icd10Cm, "F33.2", MonthsAgo(18)),
        Res.Request(Res.Text("Zoloft 100 mg tablet"), Res.Dose(1, "tablet"), MonthsAgo(16), MonthsAgo(10)),
        Res.Request(Res.Rx("313586", "venlafaxine 75 MG Oral Tablet"), Res.Dose(1, "tablet", 2), MonthsAgo(10), MonthsAgo(3)),
        Res.Phq9(MonthsAgo(4), 17),
        Res.BloodPressure(DaysAgo(5), 124, 80),
    ];

    [Fact]
    public void Trd_candidate_short_detail_has_the_key_facts_the_checklist_the_sources_and_points_to_the_app()
    {
        var card = Assert.Single(EngineHarness.PatientView([.. TrdPatient()]).Cards);
        var shortDetail = card.ShortDetail;

        Assert.NotNull(shortDetail);
        Assert.Contains("**TRD criteria met:** 2 failed adequate antidepressant trials", shortDetail, StringComparison.Ordinal);
        Assert.Contains($"- sertraline (Zoloft 100 mg tablet) 100 mg/day, {Day(MonthsAgo(16))} to {Day(MonthsAgo(10))}: failed", shortDetail, StringComparison.Ordinal);
        Assert.Contains($"- venlafaxine (venlafaxine 75 MG Oral Tablet) 150 mg/day, {Day(MonthsAgo(10))} to {Day(MonthsAgo(3))}: failed", shortDetail, StringComparison.Ordinal);
        Assert.Contains("**Staging:** Maudsley 7 of 15", shortDetail, StringComparison.Ordinal);
        Assert.Contains("Thase-Rush stage II", shortDetail, StringComparison.Ordinal);
        Assert.Contains("**Check before ketamine/esketamine**", shortDetail, StringComparison.Ordinal);
        Assert.Contains("- Contraindications: none recorded", shortDetail, StringComparison.Ordinal);
        Assert.Contains("- Blood pressure: latest 124/80 mmHg", shortDetail, StringComparison.Ordinal);
        Assert.Contains(CardFactory.AppPointer, shortDetail, StringComparison.Ordinal);

        // Same sources and knowledge-base version as the full detail; well below its length.
        Assert.Equal(card.Detail!.Split('\n')[^1], shortDetail.Split('\n')[^1]);
        Assert.StartsWith("Knowledge base: ", shortDetail.Split('\n')[^1], StringComparison.Ordinal);
        Assert.True(shortDetail.Length < card.Detail.Length * 0.7, $"short {shortDetail.Length} vs full {card.Detail.Length}:\n{shortDetail}");

        // The staging items and the failure evidence stay in the full detail.
        Assert.Contains("Treatment failures:", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Treatment failures:", shortDetail, StringComparison.Ordinal);
        Assert.Contains("PHQ-9 total 17", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("PHQ-9 total 17", shortDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Trd_possible_short_detail_says_which_data_is_missing_for_each_trial()
    {
        var card = Assert.Single(EngineHarness.PatientView(
            Res.Patient(),
            Res.Condition(Res.Icd10Cm, "F33.1", MonthsAgo(12)),
            Res.Request(Res.Rx("312940", "sertraline 50 MG Oral Tablet"), null, MonthsAgo(11), MonthsAgo(8)),
            Res.Request(Res.Rx("200371", "citalopram 20 MG Oral Tablet"), null, MonthsAgo(7), MonthsAgo(3))).Cards);

        Assert.Equal(CardTopics.TrdPossible, card.Source.Topic!.Code);
        Assert.Contains("**Possible TRD:** 2 antidepressant trials", card.ShortDetail, StringComparison.Ordinal);
        Assert.Matches(@"- sertraline[^\n]* dose unknown, ", card.ShortDetail!);
        Assert.Contains("adequacy not confirmed (dose missing)", card.ShortDetail, StringComparison.Ordinal);
        Assert.Matches(@"- citalopram[^\n]* dose unknown, ", card.ShortDetail!);
    }

    [Fact]
    public void Short_detail_names_contraindications_with_their_codes_interacting_drugs_and_unavailable_data()
    {
        var outcome = EngineHarness.Evaluate(
            HookInput.PatientView,
            [
                .. TrdPatient(),
                Res.Condition(Res.Icd10Cm, "I71.40", MonthsAgo(24)),
                Res.Request(Res.Rx("6470", "lorazepam"), Res.Dose(1, "mg"), DaysAgo(10), null, MrStatus.Active),
            ],
            new HashSet<PatientDataKind> { PatientDataKind.Procedures });

        var card = Assert.Single(outcome.Cards);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Contains("- Contraindications: aneurysmal vascular disease", card.ShortDetail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ICD-10-CM I71.40", card.ShortDetail, StringComparison.Ordinal);
        Assert.Contains("**A contraindication is recorded, so no referral is suggested.**", card.ShortDetail, StringComparison.Ordinal);
        Assert.Matches(@"- Interactions: [^\n]*lorazepam", card.ShortDetail!);
        Assert.Contains("**Data not available:** Procedures", card.ShortDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Safety_cards_have_no_short_detail()
    {
        var outcome = EngineHarness.Sign(
            [Res.Draft(Res.Rx("2119365", "esketamine"), "esk-1")],
            [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "I71.40", MonthsAgo(24)), Res.BloodPressure(DaysAgo(1), 160, 95)]);

        Assert.NotEmpty(outcome.Cards);
        Assert.All(outcome.Cards, c => Assert.Null(c.ShortDetail));
    }
}
