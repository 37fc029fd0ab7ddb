using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using static KetamineCds.Core.Tests.Scenarios.ScenarioClock;
using MrStatus = Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>patient-view scenarios: depression, antidepressant trials, TRD status, staging and the TRD cards.</summary>
public static partial class ScenarioCatalog
{
    private const string TrdRule =
        "Met = two or more failed adequate trials of different ingredients, or SNOMED 1153570009. Adequate = at or above the §1.4 minimum dose " +
        "for >= 6 weeks; failed = another antidepressant or augmentation started after an adequate course, or PHQ-9 (44261-6) >= 10 at or after " +
        "the minimum duration [T1][T11][T13]. card-contract: trd-candidate info with referral suggestion.";

    /// <summary>Sertraline 100 mg/day for 4 months, then venlafaxine ER 150 mg/day for 8 months with PHQ-9 21 five months in.</summary>
    private static PatientBuilder SertralineThenVenlafaxine(this PatientBuilder p) => p
        .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(16), MonthsAgo(12))
        .Request(Med.VenlafaxineEr150Tab, Dose.Tablets(1), MonthsAgo(11), MonthsAgo(3))
        .Phq9(MonthsAgo(6), 21);

    /// <summary>Sertraline 100 mg/day and mirtazapine 15 mg/day started the same day six months ago (no switch, no augmentation).</summary>
    private static PatientBuilder SertralineWithMirtazapineFromSameDay(this PatientBuilder p) => p
        .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(6), DaysAgo(10))
        .Request(Med.Mirtazapine15Tab, Dose.Tablets(1), MonthsAgo(6), DaysAgo(10));

    /// <summary>Two trials with no dose at all (ingredient codes only).</summary>
    private static PatientBuilder TwoTrialsWithoutDose(this PatientBuilder p) => p
        .Request(Med.Ingredient("36437", "sertraline"), null, MonthsAgo(11), MonthsAgo(7))
        .Request(Med.Ingredient("2556", "citalopram"), null, MonthsAgo(6), MonthsAgo(1));

    private static IEnumerable<ClinicalScenario> TrdScenarios()
    {
        yield return new()
        {
            Name = "pv-trd-met-ssri-then-snri",
            Spec = TrdRule + " Staging: MSM = duration 13-24 mo (2) + severe w/o psychosis F33.2 (4) + 1-2 failures (1) + no augmentation (0) + no ECT (0) = 7 [T12]; Thase-Rush II = SSRI failure then a different class [T8].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["sertraline", "venlafaxine"],
            Maudsley = 7,
            ThaseRush = "II",
            Cards = [TrdCandidate("sertraline", "venlafaxine", "100 mg/day", "150 mg/day")],
        };

        yield return new()
        {
            Name = "pv-trd-met-snomed-trd-code-alone",
            Spec = "Status Met when the TRD concept SNOMED 1153570009 is recorded [C-V:105.12.1203]; codes written 'SNOMED 1153570009' (card-contract).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).Build(),
            TrdStatus = TrdStatus.Met,
            Cards = [TrdCandidate("1153570009")],
        };

        yield return new()
        {
            Name = "pv-brand-names-text-only",
            Spec = "Brand names in display/text only are recognised ('Zoloft 100 mg tablet', 'Effexor XR', 'Wellbutrin XL 300 mg') [brand-names.tsv]; drugs named by generic lower-case name with the record's text in parentheses (card-contract). " +
                "Venlafaxine only fails because bupropion (Wellbutrin XL) was started after it.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(20))
                .Request(Med.TextOnly("Zoloft 100 mg tablet"), Dose.Mg(100), MonthsAgo(15), MonthsAgo(10))
                .Request(Med.TextOnly("Effexor XR"), Dose.Mg(150), MonthsAgo(9), DaysAgo(30))
                .CurrentRequest(Med.TextOnly("Wellbutrin XL 300 mg"), Dose.Tablets(1), startedDaysAgo: 28)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["sertraline", "venlafaxine"],
            Cards = [TrdCandidate("sertraline", "venlafaxine", "Zoloft", "Effexor XR", "150 mg/day")],
        };

        yield return new()
        {
            Name = "pv-tablets-times-strength",
            Spec = "Dose in tablets x strength: 2 tablets of sertraline 25 mg = 50 mg/day (minimum 50), 2 tablets of escitalopram 5 mg = 10 mg/day (minimum 10) [T13]; read as 1 tablet both would be sub-therapeutic.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F32.2", MonthsAgo(12))
                .Request(Med.Sertraline25Tab, Dose.Tablets(2), MonthsAgo(11), MonthsAgo(7))
                .Request(Med.Escitalopram5Tab, Dose.Tablets(2), MonthsAgo(6), MonthsAgo(1))
                .Phq9(MonthsAgo(2), 14)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "sertraline"],
            Cards = [TrdCandidate("sertraline", "escitalopram", "50 mg/day", "10 mg/day")],
        };

        yield return new()
        {
            Name = "pv-dose-quantity-times-frequency",
            Spec = "Dose quantity x frequency / period: venlafaxine 75 mg twice a day = 150 mg/day (minimum 150), duloxetine 30 mg twice a day = 60 mg/day (minimum 60) [T13].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(14))
                .Request(Med.Venlafaxine75Tab, Dose.Mg(75, timesPerDay: 2), MonthsAgo(12), MonthsAgo(8))
                .Request(Med.Ingredient("72625", "duloxetine"), Dose.Mg(30, timesPerDay: 2), MonthsAgo(7), MonthsAgo(1))
                .Phq9(MonthsAgo(3), 12)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["duloxetine", "venlafaxine"],
            Cards = [TrdCandidate("venlafaxine", "duloxetine", "150 mg/day", "60 mg/day")],
        };

        yield return new()
        {
            Name = "pv-every-12-hours-and-validity-period",
            Spec = "Dose per period: 1 tablet of sertraline 50 mg every 12 h = 100 mg/day; duration from dispenseRequest.validityPeriod; " +
                "citalopram course from expectedSupplyDuration 30 d x (1 + 2 repeats) >= 60 days >= 6 weeks [issue 3: 'validity period, bounds, expected supply x repeats'].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(14))
                .Request(Med.Sertraline50Tab, Dose.TabletsEveryHours(1, 12), MonthsAgo(12), MonthsAgo(8), dates: RequestDates.ValidityPeriod)
                .RequestWithSupply(Med.Citalopram20Tab, Dose.Tablets(1), MonthsAgo(7), supplyDays: 30, repeats: 2)
                .Phq9(MonthsAgo(5), 14)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["citalopram", "sertraline"],
            Cards = [TrdCandidate("sertraline", "citalopram", "100 mg/day", "20 mg/day")],
        };

        yield return new()
        {
            Name = "pv-subtherapeutic-doses-not-met",
            Spec = "A trial is adequate only at or above the minimum dose (sertraline 50, fluoxetine 20 mg/day) [T13]; known low doses are inadequate, not 'possible' (possible = dose or duration missing).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(14))
                .Request(Med.Sertraline25Tab, Dose.Tablets(1), MonthsAgo(12), MonthsAgo(8))
                .Request(Med.Fluoxetine10Tab, Dose.Tablets(1), MonthsAgo(7), MonthsAgo(1))
                .Phq9(MonthsAgo(3), 16)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = [],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-short-trials-not-met",
            Spec = "Adequate needs >= 6 weeks (Clinical:MinimumTrialWeeks) [T11]: 20- and 25-day trials and a 4-week current trial are not adequate.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(6))
                .Request(Med.Sertraline100Tab, Dose.Tablets(1), DaysAgo(150), DaysAgo(130))
                .Request(Med.Escitalopram20Tab, Dose.Tablets(1), DaysAgo(125), DaysAgo(100))
                .CurrentRequest(Med.Fluoxetine20Cap, Dose.Capsules(1), startedDaysAgo: 28)
                .Phq9(DaysAgo(5), 18)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = [],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-one-failed-trial-not-met",
            Spec = "One failed adequate trial (citalopram, switched to mirtazapine) is below the two-trial threshold [T1]; patient-view with nothing to show -> no cards. " +
                "(Citalopram now ends a month ago: the old 3.5-month gap before mirtazapine exceeds Clinical:MaximumSwitchGapDays = 90, issue 8.)",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(10))
                .Request(Med.Citalopram20Tab, Dose.Tablets(1), MonthsAgo(9), MonthsAgo(1))
                .CurrentRequest(Med.Mirtazapine15Tab, Dose.Tablets(1), startedDaysAgo: 20)
                .Phq9(DaysAgo(3), 15)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = ["citalopram"],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-same-ingredient-twice-not-met",
            Spec = "Trials are counted per ingredient: two sertraline courses are one ingredient, TRD needs different ingredients [T1][T4].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(16))
                .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(14), MonthsAgo(10))
                .Request(Med.Sertraline150Cap, Dose.Capsules(1), MonthsAgo(9), MonthsAgo(2))
                .Phq9(MonthsAgo(4), 18)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-possible-missing-doses",
            Spec = "Possible = two or more trials whose adequacy cannot be confirmed because the dose is missing; card-contract: trd-possible info, doses written 'dose unknown'.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(12)).TwoTrialsWithoutDose().Build(),
            TrdStatus = TrdStatus.Possible,
            Cards = [new(CardTopics.TrdPossible, Info) { DetailContains = ["sertraline", "citalopram", "dose unknown"] }],
        };

        yield return new()
        {
            Name = "pv-possible-missing-duration",
            Spec = "Possible = two or more trials whose adequacy cannot be confirmed because the duration is missing (MedicationStatements with effectiveDateTime only).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(12))
                .StatementAt(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(10))
                .StatementAt(Med.Fluoxetine20Cap, Dose.Capsules(1), MonthsAgo(5))
                .Build(),
            TrdStatus = TrdStatus.Possible,
            Cards = [new(CardTopics.TrdPossible, Info) { DetailContains = ["sertraline", "fluoxetine"] }],
        };

        yield return new()
        {
            Name = "pv-ancient-active-orders-not-current-episode",
            Spec = "Episode = onset of the active condition when known, else a 24-month look-back; 'An order marked active but authored years ago is not a current trial.' Orders from 2015/2016 still 'active'.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1")
                .RequestAuthoredOnly(Med.Sertraline100Tab, Dose.Tablets(1), new DateTimeOffset(2015, 3, 1, 9, 0, 0, TimeSpan.Zero), MrStatus.Active)
                .RequestAuthoredOnly(Med.Fluoxetine20Cap, Dose.Capsules(1), new DateTimeOffset(2016, 6, 1, 9, 0, 0, TimeSpan.Zero), MrStatus.Active)
                .Phq9(MonthsAgo(2), 19)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = [],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-trials-before-episode-onset",
            Spec = "Trials count within the current episode = since the onset of the active depression condition (onset 8 months ago; both failed trials ended 30+ months ago).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(8))
                .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(40), MonthsAgo(36))
                .Request(Med.Escitalopram20Tab, Dose.Tablets(1), MonthsAgo(35), MonthsAgo(30))
                .Phq9(MonthsAgo(31), 18)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = [],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-no-onset-24-month-lookback",
            Spec = "No onset -> 24-month look-back; both failed trials (citalopram 40, mirtazapine ODT 30, VSAC SCDs) lie within it. " + TrdRule,
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1")
                .Request(Med.Citalopram40Tab, Dose.Tablets(1), MonthsAgo(20), MonthsAgo(15))
                .Request(Med.Mirtazapine30Odt, Dose.Tablets(1), MonthsAgo(14), MonthsAgo(8))
                .Phq9(MonthsAgo(10), 13)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["citalopram", "mirtazapine"],
            Cards = [TrdCandidate("citalopram", "mirtazapine", "40 mg/day", "30 mg/day")],
        };

        yield return new()
        {
            Name = "pv-overlapping-trials",
            Spec = "Bupropion XL 300 added three months into sertraline 100 = another antidepressant started after an adequate course (sertraline failed); bupropion failed by PHQ-9 16 five months in. " + TrdRule,
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(14))
                .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(12), MonthsAgo(2))
                .Request(Med.BupropionXl300Tab, Dose.Tablets(1), MonthsAgo(9), MonthsAgo(2))
                .Phq9(MonthsAgo(4), 16)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["bupropion", "sertraline"],
            Cards = [TrdCandidate("sertraline", "bupropion", "300 mg/day")],
        };

        yield return new()
        {
            Name = "pv-augmentation-counts-as-failure",
            Spec = "Failure when an augmentation agent (aripiprazole) was started after an adequate course; the augmentation agent is not itself an antidepressant trial. " +
                "MSM = chronic > 24 mo (3) + F33.2 severe w/o psychosis (4) + 1-2 failures (1) + augmentation used (1) + no ECT (0) = 9 [T12]; Thase-Rush I: both failures are SSRIs [T8].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(26))
                .Request(Med.Escitalopram20Tab, Dose.Tablets(1), MonthsAgo(24), MonthsAgo(16))
                .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(15), DaysAgo(20))
                .Request(Med.Rx("89013", "aripiprazole"), Dose.Mg(5), MonthsAgo(6), DaysAgo(20))
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "sertraline"],
            Maudsley = 9,
            ThaseRush = "I",
            Cards = [TrdCandidate("escitalopram", "sertraline")],
        };

        yield return new()
        {
            Name = "pv-phq9-failure-concurrent-trials",
            Spec = "Failure when a PHQ-9 total (LOINC 44261-6) >= 10 was recorded at or after the minimum duration; two drugs started the same day, PHQ-9 16 three months in.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(8)).SertralineWithMirtazapineFromSameDay().Phq9(MonthsAgo(3), 16).Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["mirtazapine", "sertraline"],
            Cards = [TrdCandidate("sertraline", "mirtazapine", "15 mg/day")],
        };

        yield return new()
        {
            Name = "pv-phq9-before-minimum-duration-or-low",
            Spec = "PHQ-9 >= 10 counts only at or after the minimum duration: 19 at week 3 does not count, 6 at month 3 is below 10 -> no failure.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(8)).SertralineWithMirtazapineFromSameDay()
                .Phq9(MonthsAgo(6).AddDays(21), 19)
                .Phq9(MonthsAgo(3), 6)
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = [],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-phq9-item9-is-not-the-total",
            Spec = "Only the PHQ-9 total LOINC 44261-6 counts; 44260-8 is item 9 (some repos mislabel it as the total) [C-PHQ].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(8)).SertralineWithMirtazapineFromSameDay().Phq9(MonthsAgo(3), 15, loinc: "44260-8").Build(),
            TrdStatus = TrdStatus.NotMet,
            FailedIngredients = [],
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-remission-code-f33-42-only",
            Spec = "Remission codes F32.5 / F33.4x do not count as active MDD -> TRD not assessed, no TRD card [C-V:105.12.1007 excludes remission].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.42", MonthsAgo(18)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-remission-code-f32-5-only",
            Spec = "F32.5 (single episode, full remission) does not count as active MDD.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F32.5", MonthsAgo(18)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-resolved-mdd",
            Spec = "Inactive/resolved conditions don't count (F33.2 resolved a month ago).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18), clinicalStatus: "resolved", abatement: MonthsAgo(1)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-inactive-mdd",
            Spec = "Inactive/resolved conditions don't count (SNOMED 370143000 with clinicalStatus inactive).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("370143000", MonthsAgo(18), clinicalStatus: "inactive").SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-bipolar-excludes-trd",
            Spec = "Bipolar disorder (F31.x) makes TRD not applicable (no TRD card) [T4][L1]; card-contract: 'bipolar disorder (TRD not applicable; the TRD card says nothing then)'.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).Icd("F31.4", MonthsAgo(30)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-bipolar-snomed-beats-trd-code",
            Spec = "Bipolar disorder (SNOMED 13746004) makes TRD not applicable even with SNOMED 1153570009 recorded.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).Sct("13746004", MonthsAgo(40)).Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-antidepressant-without-depression",
            Spec = "Depression requires an active MDD condition or the TRD code; PTSD (SNOMED 47505003) + sertraline -> NotApplicable, no cards.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("47505003", MonthsAgo(20)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-medication-statements-only",
            Spec = "Duration from MedicationStatement.effectivePeriod; fluoxetine 20 mg/day (ingredient code + text), duloxetine 60 mg DR capsule (SCD). " + TrdRule,
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(16))
                .Statement(new Med("4493", "fluoxetine", "fluoxetine 20 mg capsule"), Dose.Mg(20), MonthsAgo(14), MonthsAgo(9))
                .Statement(Med.Duloxetine60Cap, Dose.Capsules(1), MonthsAgo(8), MonthsAgo(2))
                .Phq9(MonthsAgo(3), 12)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["duloxetine", "fluoxetine"],
            Cards = [TrdCandidate("fluoxetine", "duloxetine", "20 mg/day", "60 mg/day")],
        };

        yield return new()
        {
            Name = "pv-medication-dispenses-only",
            Spec = "Duration from MedicationDispense history (first hand-over to last + days supply): sertraline 5 x 30 days, then escitalopram 4 x 30 days; PHQ-9 13 three months into escitalopram. " + TrdRule,
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(14))
                .Dispenses(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(12), count: 5)
                .Dispenses(Med.Escitalopram20Tab, Dose.Tablets(1), MonthsAgo(6), count: 4)
                .Phq9(MonthsAgo(3), 13)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "sertraline"],
            Cards = [TrdCandidate("sertraline", "escitalopram", "100 mg/day", "20 mg/day")],
        };

        yield return new()
        {
            Name = "pv-synthea-rxnorm-codes",
            Spec = "Synthea codes 328670 'Sertraline 100MG' and 406022 'Fluoxetine 25MG' are recognised (1 unit/day -> 100 and 25 mg/day); MDD as SNOMED 370143000 [shared/fixtures/synthea/README.md].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("370143000", MonthsAgo(15))
                .Request(Med.SyntheaSertraline100, Dose.Tablets(1), MonthsAgo(13), MonthsAgo(9))
                .Request(Med.SyntheaFluoxetine25, Dose.Tablets(1), MonthsAgo(8), MonthsAgo(2))
                .Phq9(MonthsAgo(4), 17)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["fluoxetine", "sertraline"],
            Cards = [TrdCandidate("sertraline", "fluoxetine", "100 mg/day", "25 mg/day")],
        };

        yield return new()
        {
            Name = "pv-contained-and-bundled-medication",
            Spec = "medicationReference to a contained Medication (#id) and to a bundled Medication (Medication/id) is resolved. " + TrdRule,
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(12))
                .Request(Med.Sertraline100Tab.AsContained(), Dose.Tablets(1), MonthsAgo(11), MonthsAgo(7))
                .Request(Med.Escitalopram20Tab.AsReferenced(), Dose.Tablets(1), MonthsAgo(6), MonthsAgo(1))
                .Phq9(MonthsAgo(2), 11)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "sertraline"],
            Cards = [TrdCandidate("sertraline", "escitalopram")],
        };

        yield return new()
        {
            Name = "pv-trd-met-with-contraindication",
            Spec = "card-contract trd-candidate: 'warning when a contraindication is present (then no referral suggestion and the summary says \"contraindication\")'; aortic aneurysm I71.4 [L1][C-V:1029.219].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).Icd("I71.4", MonthsAgo(30)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.Met,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [new(CardTopics.TrdCandidate, Warning) { SummaryContains = "contraindication", HasSuggestions = false, DetailContains = ["sertraline", "venlafaxine"] }],
        };

        yield return new()
        {
            Name = "pv-trd-possible-with-contraindication",
            Spec = "card-contract trd-possible: 'info (warning with contraindication, as above)'; AVM Q28.2 [C-V:3157.4025].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(12)).Icd("Q28.2", YearsAgo(5)).TwoTrialsWithoutDose().Build(),
            TrdStatus = TrdStatus.Possible,
            Findings = [FindingCodes.ArteriovenousMalformation],
            Cards = [new(CardTopics.TrdPossible, Warning) { SummaryContains = "contraindication", HasSuggestions = false }],
        };

        yield return new()
        {
            Name = "pv-deceased-no-cards",
            Spec = "Deceased -> no cards (card-contract: 'a patient who is deceased: {\"cards\": []}').",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).SertralineThenVenlafaxine().Deceased(DaysAgo(30)).Build(),
            Deceased = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-trd-met-on-benzodiazepine-not-on-ketamine",
            Spec = "patient-view shows only the TRD card for a patient not on ketamine; interaction cards need a ketamine order or current ketamine therapy (card-contract).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).CurrentRequest(Med.Ingredient("6470", "lorazepam"), Dose.Mg(1)).Build(),
            TrdStatus = TrdStatus.Met,
            OnKetamineTherapy = false,
            Cards = [TrdCandidate()],
        };

        yield return new()
        {
            Name = "pv-on-esketamine-with-lorazepam",
            Spec = "trd-candidate only for patients not on ketamine/esketamine; safety cards still apply while on esketamine: benzodiazepines Major -> drug-interaction warning naming the drug [L5][L15].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).RecentNormalBp()
                .CurrentRequest(Med.Esketamine, startedDaysAgo: 14)
                .CurrentRequest(Med.Ingredient("6470", "lorazepam"), Dose.Mg(1), startedDaysAgo: 30)
                .Build(),
            OnKetamineTherapy = true,
            Findings = [Interacts(FindingCodes.InteractionClasses.Benzodiazepines)],
            Cards = [Interaction(Warning, "lorazepam")],
        };

        yield return new()
        {
            Name = "pv-on-esketamine-with-avm",
            Spec = "contraindication cards also on patient-view while on ketamine/esketamine; 'delete' suggestion only when there is a draft order (card-contract). AVM Q28.0 [C-V:3157.4025] " +
                "is an esketamine label contraindication [L1][L2]. (Was pv-on-ketamine-with-avm: for racemic ketamine the criteria make AVM a caution, see the next scenario.)",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).Icd("Q28.0", YearsAgo(3)).RecentNormalBp()
                .Statement(Med.Esketamine, null, DaysAgo(21), null, MedicationStatement.MedicationStatusCodes.Active)
                .Build(),
            OnKetamineTherapy = true,
            Findings = [FindingCodes.ArteriovenousMalformation],
            Cards = [new(CardTopics.Contraindication, Critical) { HasSuggestions = false }],
        };

        yield return new()
        {
            Name = "pv-on-ketamine-with-avm-is-a-caution",
            Spec = "clinical-criteria 2.9: AVM is contraindicated for esketamine (label) and a caution for racemic ketamine (not stated in the retrieved ketamine label text) [L1][L2]; " +
                "a racemic ketamine card never calls it a label contraindication of ketamine.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).Icd("Q28.0", YearsAgo(3)).RecentNormalBp()
                .Statement(Med.Ketamine, null, DaysAgo(21), null, MedicationStatement.MedicationStatusCodes.Active)
                .Build(),
            OnKetamineTherapy = true,
            Findings = [FindingCodes.ArteriovenousMalformation],
            Cards = [Precaution() with { DetailContains = ["Racemic ketamine"], DetailLacksWord = ["esketamine"] }],
        };

        yield return new()
        {
            Name = "pv-on-esketamine-no-recent-bp",
            Spec = "blood-pressure card 'same triggers' includes patient-view while on esketamine: no BP in 30 days -> blood-pressure info; no TRD card while on esketamine.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).BpPanel(DaysAgo(60), 124, 80).CurrentRequest(Med.Esketamine, startedDaysAgo: 14).Build(),
            OnKetamineTherapy = true,
            Findings = [FindingCodes.BloodPressureNotRecent],
            Cards = [Card(CardTopics.BloodPressure, Info)],
        };

        yield return new()
        {
            Name = "pv-on-spravato-with-bipolar",
            Spec = "precaution card 'same triggers' includes patient-view while on esketamine (here 'Spravato 56 mg dose kit' text): bipolar disorder F31.81 -> precaution; bipolar -> TRD not applicable, no TRD card.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(10)).Icd("F31.81", YearsAgo(3)).RecentNormalBp().CurrentRequest(Med.SpravatoText, startedDaysAgo: 14).Build(),
            OnKetamineTherapy = true,
            TrdStatus = TrdStatus.NotApplicable,
            Findings = [FindingCodes.BipolarDisorder],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "pv-past-esketamine-course-not-current",
            Spec = "trd-candidate is shown when the patient is not on ketamine/esketamine NOW: an esketamine course completed 8 months ago is not current therapy.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(20))
                .Request(Med.Esketamine, null, MonthsAgo(12), MonthsAgo(8))
                .Build(),
            OnKetamineTherapy = false,
            TrdStatus = TrdStatus.Met,
            Cards = [TrdCandidate()],
        };

        yield return new()
        {
            Name = "pv-nothing-relevant",
            Spec = "patient-view with nothing relevant -> {\"cards\": []} (card-contract).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("444814009", YearsAgo(4)).RecentNormalBp().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-lithium-carbonate-augmentation",
            Spec = "Augmentation agent lithium started after an adequate venlafaxine course = failure; lithium carbonate SCDs map to 42351 'Lithium Carbonate', accept it as lithium [brand-names.md caveat]. " +
                "MSM = 13-24 mo (2) + F33.2 (4) + 1-2 failures (1) + augmentation (1) + no ECT (0) = 8; Thase-Rush II (SSRI then SNRI) [T12][T8].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(20))
                .Request(Med.Escitalopram20Tab, Dose.Tablets(1), MonthsAgo(18), MonthsAgo(12))
                .Request(Med.VenlafaxineEr150Tab, Dose.Tablets(1), MonthsAgo(11), DaysAgo(15))
                .Request(Med.Rx("42351", "Lithium Carbonate"), Dose.Mg(300, timesPerDay: 2), MonthsAgo(5), DaysAgo(15))
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "venlafaxine"],
            Maudsley = 8,
            ThaseRush = "II",
            Cards = [TrdCandidate("escitalopram", "venlafaxine")],
        };

        yield return new()
        {
            Name = "pv-seroquel-xr-augmentation-brand-text",
            Spec = "Augmentation agent quetiapine recorded only as the brand text 'Seroquel XR 150 mg' [brand-names.tsv] after an adequate sertraline course = failure; fluoxetine failed by switch.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(16))
                .Request(Med.Fluoxetine20Cap, Dose.Capsules(1), MonthsAgo(15), MonthsAgo(10))
                .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(9), DaysAgo(5))
                .Request(Med.TextOnly("Seroquel XR 150 mg"), Dose.Tablets(1), MonthsAgo(4), DaysAgo(5))
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["fluoxetine", "sertraline"],
            Cards = [TrdCandidate("fluoxetine", "sertraline")],
        };

        yield return new()
        {
            Name = "pv-scd-codes-without-display",
            Spec = "SCD product codes alone (no display, no text) are recognised with their strength: 312938 sertraline 100 mg, 349332 escitalopram 10 mg [C-V:196.12.1213].",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(14))
                .Request(new Med("312938", null, null), Dose.Tablets(1), MonthsAgo(12), MonthsAgo(8))
                .Request(new Med("349332", null, null), Dose.Tablets(1), MonthsAgo(7), MonthsAgo(1))
                .Phq9(MonthsAgo(3), 15)
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "sertraline"],
            Cards = [TrdCandidate("sertraline", "escitalopram", "100 mg/day", "10 mg/day")],
        };

        yield return new()
        {
            Name = "pv-phq9-value-integer",
            Spec = "A PHQ-9 total (44261-6) >= 10 recorded as valueInteger (common for scores) counts like valueQuantity.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(8)).SertralineWithMirtazapineFromSameDay().Phq9Integer(MonthsAgo(3), 16).Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["mirtazapine", "sertraline"],
            Cards = [TrdCandidate("sertraline", "mirtazapine")],
        };

        yield return new()
        {
            Name = "pv-pmdd-f32-81-is-not-mdd",
            Spec = "§4.2: 'F32.81 is premenstrual dysphoric disorder, not MDD, even though it sits in the same value set' -> TRD not applicable.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F32.81", MonthsAgo(18)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-dysthymia-is-not-mdd",
            Spec = "Depression = an active MDD condition (§4.2 MDD rows); dysthymia F34.1 is listed separately -> TRD not applicable.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F34.1", MonthsAgo(18)).SertralineThenVenlafaxine().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-odd-resources-do-not-crash",
            Spec = "House rule: bad input never crashes; odd resources (no code, no medication, dangling references, unparsable dates, no values) are skipped and the rest still evaluates (TRD met).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).SertralineThenVenlafaxine().Junk().Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["sertraline", "venlafaxine"],
            Cards = [TrdCandidate("sertraline", "venlafaxine")],
        };

        yield return new()
        {
            Name = "pv-deceased-boolean",
            Spec = "Deceased (Patient.deceasedBoolean = true, no date) -> no cards.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Sct("1153570009", MonthsAgo(10)).DeceasedFlag().Build(),
            Deceased = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "pv-observations-unavailable-still-answers",
            Spec = "Only missing Conditions or medications make patient-view RequiredDataMissing; without Observations the TRD rule still runs (failures here come from switches, not PHQ-9).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(20))
                .Request(Med.Escitalopram20Tab, Dose.Tablets(1), MonthsAgo(18), MonthsAgo(12))
                .Request(Med.VenlafaxineEr150Tab, Dose.Tablets(1), MonthsAgo(11), MonthsAgo(4))
                .CurrentRequest(Med.BupropionXl300Tab, Dose.Tablets(1), startedDaysAgo: 100)
                .Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.Observations },
            RequiredDataMissing = false,
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["escitalopram", "venlafaxine"],
            Cards = [TrdCandidate("escitalopram", "venlafaxine")],
        };

        yield return new()
        {
            Name = "pv-conditions-unavailable",
            Spec = "patient-view missing Conditions -> RequiredDataMissing (host answers 412 naming MissingData).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().SertralineThenVenlafaxine().Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.Conditions },
            RequiredDataMissing = true,
            MissingData = [PatientDataKind.Conditions],
        };

        yield return new()
        {
            Name = "pv-medications-unavailable",
            Spec = "patient-view missing medications -> RequiredDataMissing.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.MedicationRequests, PatientDataKind.MedicationStatements, PatientDataKind.MedicationDispenses },
            RequiredDataMissing = true,
            MissingData = [PatientDataKind.MedicationRequests],
        };
    }
}
