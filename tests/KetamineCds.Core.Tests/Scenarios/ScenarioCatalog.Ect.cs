using Hl7.Fhir.Model;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using static KetamineCds.Core.Tests.Scenarios.ScenarioClock;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>patient-view scenarios: an ECT Procedure feeds the Maudsley ECT item and Thase-Rush stage V.</summary>
public static partial class ScenarioCatalog
{
    private const string EctRule =
        "ECT has no published value set (clinical-criteria.md 9.3): SNOMED CT 23835007/284468008/313019002/313020008/231079005/231080008 " +
        "(V for the meaning, U for current use) [C-PV:4.11.1109], ICD-10-PCS GZB0ZZZ/GZB2ZZZ/GZB4ZZZ (V-weak) [W-GZB], CPT 90870 (V-weak) [W-90870]. " +
        "MSM ECT item: used 1, not used 0 [T12]; a Procedure counts with status completed or in-progress, within the current episode. " +
        "Thase-Rush V = stage IV plus a failed course of bilateral ECT [T8].";

    /// <summary>F33.2 from 40 months ago; failed SSRI, SNRI, TCA and MAOI trials (Thase-Rush IV), each followed by a switch.</summary>
    private static PatientBuilder StageFourHistory(this PatientBuilder p) => p
        .Icd("F33.2", MonthsAgo(40))
        .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(36), MonthsAgo(30))
        .Request(Med.Venlafaxine75Tab, Dose.Tablets(2), MonthsAgo(30), MonthsAgo(24))
        .Request(Med.Rx("7531", "nortriptyline"), Dose.Mg(75), MonthsAgo(24), MonthsAgo(18))
        .Request(Med.Rx("8123", "phenelzine"), Dose.Mg(15, 3), MonthsAgo(18), MonthsAgo(10))
        .Request(Med.Sertraline100Tab, Dose.Tablets(1), MonthsAgo(10), MonthsAgo(8));

    private static IEnumerable<ClinicalScenario> EctScenarios()
    {
        // SertralineThenVenlafaxine with F33.2 18 months ago scores MSM 7 without ECT (pv-trd-met-ssri-then-snri).
        yield return new()
        {
            Name = "pv-ect-snomed-bilateral-stage-v",
            Spec = EctRule + " MSM = chronic (3) + F33.2 (4) + 4 failures (2) + no augmentation (0) + ECT used (1) = 10; bilateral ECT SNOMED 284468008 on top of stage IV -> V.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().StageFourHistory()
                .Procedure(Sys.Snomed, "284468008", "Bilateral electroconvulsive therapy", MonthsAgo(6))
                .Build(),
            TrdStatus = TrdStatus.Met,
            Maudsley = 10,
            ThaseRush = "V",
            Cards =
            [
                TrdCandidate(
                    "Electroconvulsive therapy: 1 - used: Bilateral electroconvulsive therapy on " + Date(MonthsAgo(6)),
                    "SNOMED 284468008, code status V for the meaning; U for current use",
                    "[C-PV:4.11.1109]; procedure completed",
                    "Thase-Rush stage: V"),
            ],
        };

        yield return new()
        {
            Name = "pv-ect-icd10pcs-unilateral",
            Spec = EctRule + " ICD-10-PCS GZB0ZZZ (unilateral) completed 2 months ago: MSM 7 + 1 = 8; Thase-Rush stays II (ECT does not change stages I-III).",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).SertralineThenVenlafaxine()
                .Procedure(Sys.Icd10Pcs, "GZB0ZZZ", "Electroconvulsive Therapy, Unilateral-Single Seizure", MonthsAgo(2))
                .Build(),
            TrdStatus = TrdStatus.Met,
            FailedIngredients = ["sertraline", "venlafaxine"],
            Maudsley = 8,
            ThaseRush = "II",
            Cards = [TrdCandidate("ICD-10-PCS GZB0ZZZ, code status V-weak: web code tables only [W-GZB]", "Electroconvulsive therapy: 1 - used")],
        };

        yield return new()
        {
            Name = "pv-ect-cpt-in-progress",
            Spec = EctRule + " CPT 90870 in-progress (a course under way) counts: MSM 7 + 1 = 8.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).SertralineThenVenlafaxine()
                .Procedure(Sys.Cpt, "90870", "ECT", DaysAgo(10), EventStatus.InProgress)
                .Build(),
            TrdStatus = TrdStatus.Met,
            Maudsley = 8,
            ThaseRush = "II",
            Cards = [TrdCandidate("used: ECT on " + Date(DaysAgo(10)) + " (CPT 90870, code status V-weak: web page only [W-90870]; procedure in-progress)")],
        };

        yield return new()
        {
            Name = "pv-ect-not-done-or-entered-in-error-not-counted",
            Spec = EctRule + " A Procedure not-done or entered-in-error is no ECT: MSM stays 7 and the ECT item is estimated.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(18)).SertralineThenVenlafaxine()
                .Procedure(Sys.Cpt, "90870", "Electroconvulsive therapy", MonthsAgo(2), EventStatus.NotDone)
                .Procedure(Sys.Snomed, "23835007", "Electroconvulsive therapy", MonthsAgo(3), EventStatus.EnteredInError)
                .Build(),
            TrdStatus = TrdStatus.Met,
            Maudsley = 7,
            ThaseRush = "II",
            Cards = [TrdCandidate("Electroconvulsive therapy: 0 - no ECT procedure in the current episode; scored as not used (estimated)")],
        };

        yield return new()
        {
            Name = "pv-no-ect-estimated",
            Spec = EctRule + " No ECT Procedure: the item scores 0 and says it is estimated; stage IV names what stage V would need.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().StageFourHistory().Build(),
            TrdStatus = TrdStatus.Met,
            Maudsley = 9,
            ThaseRush = "IV",
            Cards =
            [
                TrdCandidate(
                    "Electroconvulsive therapy: 0 - no ECT procedure in the current episode; scored as not used (estimated)",
                    "stage V needs a failed course of bilateral ECT: no ECT procedure in the current episode"),
            ],
        };

        yield return new()
        {
            Name = "pv-ect-not-bilateral-stays-stage-iv",
            Spec = EctRule + " CPT 90870 does not state laterality: MSM counts it (9 + 1 = 10) but Thase-Rush stays IV and says why.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().StageFourHistory()
                .Procedure(Sys.Cpt, "90870", "Electroconvulsive therapy", MonthsAgo(6))
                .Build(),
            TrdStatus = TrdStatus.Met,
            Maudsley = 10,
            ThaseRush = "IV",
            Cards = [TrdCandidate("the ECT recorded is not coded as bilateral (Electroconvulsive therapy on " + Date(MonthsAgo(6)) + " (CPT 90870")],
        };

        yield return new()
        {
            Name = "pv-ect-procedures-unavailable",
            Spec = EctRule + " When the EHR could not supply procedures, no ECT is unknown, not a finding: the item is estimated and says why; stage IV says stage V could not be checked.",
            Hook = Hooks.PatientView,
            Resources = new PatientBuilder().StageFourHistory()
                .Procedure(Sys.Snomed, "284468008", "Bilateral electroconvulsive therapy", MonthsAgo(6))
                .Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.Procedures },
            TrdStatus = TrdStatus.Met,
            Maudsley = 9,
            ThaseRush = "IV",
            Cards =
            [
                TrdCandidate(
                    "Electroconvulsive therapy: 0 - procedure history could not be obtained; scored as not used (estimated)",
                    "stage V needs a failed course of bilateral ECT: procedure history could not be obtained"),
            ],
        };
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
