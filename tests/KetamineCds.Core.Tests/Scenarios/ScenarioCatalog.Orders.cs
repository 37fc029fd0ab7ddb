using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using static KetamineCds.Core.Tests.Scenarios.ScenarioClock;
using Ic = KetamineCds.Core.Engine.FindingCodes.InteractionClasses;
using MrStatus = Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>order-select / order-sign scenarios: contraindications, precautions, blood pressure, interactions, indication, data gaps.</summary>
public static partial class ScenarioCatalog
{
    private const string ContraRule =
        "Contraindications (critical, one card each on ketamine/esketamine orders, delete suggestion for the draft, at-most-one, overrideReasons) [L1][L2]: ";

    private const string PrecautionRule = "Precautions: one warning card listing all [L2][L3][L4][L6][L10][T4]: ";

    private const string InteractionRule =
        "Interactions with CURRENT meds (active AND recent); severity per clinical-criteria.md §3 'Proposed severity': Major -> warning, Moderate/Info -> info; one card per class naming the patient's drugs: ";

    /// <summary>An adult with documented TRD (SNOMED 1153570009) and a normal BP five days ago: a ketamine order alone raises nothing.</summary>
    private static PatientBuilder TrdCandidatePatient(int age = 45, AdministrativeGender gender = AdministrativeGender.Female) =>
        new PatientBuilder(age, gender).Sct("1153570009", MonthsAgo(14)).RecentNormalBp();

    /// <summary>The same TRD patient without any blood pressure reading.</summary>
    private static PatientBuilder TrdPatientWithoutBp() => new PatientBuilder().Sct("1153570009", MonthsAgo(14));

    private static IEnumerable<ClinicalScenario> OrderScenarios()
    {
        // ---- clean orders ---------------------------------------------------------------------------------
        yield return new()
        {
            Name = "sign-esketamine-clean",
            Spec = "Nothing relevant -> no cards: TRD documented (no indication card), BP normal within 30 days, no contraindication/precaution/interaction.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.IndicationNotDocumented, FindingCodes.BloodPressureElevated, FindingCodes.BloodPressureNotRecent],
            Cards = [],
        };

        yield return new()
        {
            Name = "select-ketamine-text-only-clean",
            Spec = "A ketamine draft recognised from text only ('Ketamine HCl 50 mg/mL injection'); nothing relevant -> no cards.",
            Hook = Hooks.Select([Hooks.KetamineDraft(Med.KetamineInjectionText)], "MedicationRequest/" + Hooks.KetamineDraftId),
            Resources = TrdCandidatePatient().Build(),
            KetamineOrdered = true,
            Cards = [],
        };

        // ---- contraindications -----------------------------------------------------------------------------
        yield return new()
        {
            Name = "sign-esketamine-aortic-aneurysm",
            Spec = ContraRule + "aneurysmal vascular disease, I71.x aortic aneurysm [C-V:1029.219]; drug named 'esketamine'; code cited.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I71.40", YearsAgo(2)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "esketamine", "I71.40")],
        };

        yield return new()
        {
            Name = "sign-ketamine-intracranial-aneurysm",
            Spec = ContraRule + "I67.1 intracranial aneurysm [C-V:1029.229]; racemic ketamine order named 'ketamine', never 'esketamine' (name confusion).",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdCandidatePatient().Icd("I67.1", YearsAgo(1)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [Contraindication(Hooks.KetamineDraftId, "ketamine", "I67.1") with { DetailLacksWord = ["esketamine"] }],
        };

        yield return new()
        {
            Name = "sign-ketamine-text-with-aneurysm-name-confusion",
            Spec = ContraRule + "'Ketamine HCl 50 mg/mL injection' is ketamine, not esketamine; card names the generic 'ketamine' with the record's text (card-contract).",
            Hook = Hooks.Sign(Hooks.KetamineDraft(Med.KetamineInjectionText)),
            Resources = TrdCandidatePatient().Icd("I71.21", YearsAgo(2)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [Contraindication(Hooks.KetamineDraftId, "ketamine") with { DetailLacksWord = ["esketamine"] }],
        };

        yield return new()
        {
            Name = "sign-spravato-text-with-aneurysm",
            Spec = ContraRule + "'Spravato 56 mg dose kit' is esketamine [brand-names.tsv]; card names 'esketamine'.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft(Med.SpravatoText)),
            Resources = TrdCandidatePatient().Icd("I71.21", YearsAgo(2)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "esketamine")],
        };

        yield return new()
        {
            Name = "sign-esketamine-avm-q28-2",
            Spec = ContraRule + "arteriovenous malformation Q28.2 (cerebral vessels) [C-V:3157.4025].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("Q28.2", YearsAgo(6)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.ArteriovenousMalformation],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "Q28.2")],
        };

        yield return new()
        {
            Name = "sign-esketamine-avm-snomed",
            Spec = ContraRule + "arteriovenous malformation SNOMED 234142008 (cerebral AVM) [C-V:3157.4025].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Sct("234142008", YearsAgo(6)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.ArteriovenousMalformation],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "234142008")],
        };

        yield return new()
        {
            Name = "sign-esketamine-i77-0-is-not-avm",
            Spec = "I77.0 is 'Arteriovenous fistula, acquired', NOT an AVM [C-I77] -> no contraindication, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I77.0", YearsAgo(3)).Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.ArteriovenousMalformation, FindingCodes.AneurysmalVascularDisease],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-intracerebral-hemorrhage",
            Spec = ContraRule + "history of intracerebral hemorrhage I61.x [C-V:117.1.7.1.212].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I61.9", YearsAgo(4)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.IntracerebralHemorrhage],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "I61.9")],
        };

        yield return new()
        {
            Name = "sign-ketamine-subarachnoid-hemorrhage-resolved",
            Spec = ContraRule + "'History of intracerebral hemorrhage' (I60.x counts per the issue) — a resolved hemorrhage is still history [L1].",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdCandidatePatient().Icd("I60.9", YearsAgo(5), clinicalStatus: "resolved", abatement: YearsAgo(4)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.IntracerebralHemorrhage],
            Cards = [Contraindication(Hooks.KetamineDraftId)],
        };

        yield return new()
        {
            Name = "sign-esketamine-cerebral-hemorrhage-snomed",
            Spec = ContraRule + "cerebral hemorrhage SNOMED 274100004 [C-V:117.1.7.1.212]; I62.x also listed.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Sct("274100004", YearsAgo(4)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.IntracerebralHemorrhage],
            Cards = [Contraindication(Hooks.EsketamineDraftId)],
        };

        yield return new()
        {
            Name = "sign-ketamine-hypersensitivity-ketamine",
            Spec = ContraRule + "hypersensitivity to ketamine (RxNorm 6130) in AllergyIntolerance [C-B].",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdCandidatePatient().Allergy("6130", "ketamine").Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.KetamineHypersensitivity],
            Cards = [Contraindication(Hooks.KetamineDraftId, "ketamine")],
        };

        yield return new()
        {
            Name = "sign-esketamine-hypersensitivity-esketamine",
            Spec = ContraRule + "hypersensitivity to esketamine (RxNorm 2119365) [C-C][C-D].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Allergy("2119365", "esketamine").Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.KetamineHypersensitivity],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "esketamine")],
        };

        yield return new()
        {
            Name = "sign-esketamine-hypersensitivity-to-ketamine",
            Spec = ContraRule + "the label contraindicates esketamine in 'hypersensitivity to esketamine, ketamine or any excipient' [L1][L2].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Allergy("6130", "ketamine").Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.KetamineHypersensitivity],
            Cards = [Contraindication(Hooks.EsketamineDraftId)],
        };

        yield return new()
        {
            Name = "sign-esketamine-two-contraindications",
            Spec = ContraRule + "one card per contraindication: aortic aneurysm I71.43 and precerebral AVM Q28.0 -> two critical cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I71.43", YearsAgo(2)).Icd("Q28.0", YearsAgo(8)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease, FindingCodes.ArteriovenousMalformation],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "I71.43"), Contraindication(Hooks.EsketamineDraftId, "Q28.0")],
        };

        yield return new()
        {
            Name = "sign-esketamine-deceased-no-cards",
            Spec = "Deceased -> no cards (issue 3), even with a contraindication and a draft order.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I71.4", YearsAgo(2)).Deceased(DaysAgo(2)).Build(),
            Deceased = true,
            Cards = [],
        };

        // ---- precautions ------------------------------------------------------------------------------------
        yield return new()
        {
            Name = "sign-esketamine-under-18",
            Spec = PrecautionRule + "age < 18 (Spravato not approved under 18) [L2].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient(age: 16).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AgeUnder18],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-pregnancy-observation",
            Spec = PrecautionRule + "pregnancy via Observation 82810-3 = Pregnant LA15173-0 [C-WHO][L6].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient(age: 31).PregnantObservation(DaysAgo(7)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.Pregnancy],
            Cards = [Precaution() with { DetailContainsIgnoreCase = ["pregnan"] }],
        };

        yield return new()
        {
            Name = "sign-esketamine-pregnancy-z33-1",
            Spec = PrecautionRule + "pregnancy via Z33.1 (pregnant state) [C-V:3157.4055].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient(age: 29).Icd("Z33.1", DaysAgo(60)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.Pregnancy],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-several-precautions-one-card",
            Spec = PrecautionRule + "psychosis F20.9, substance use disorder F10.20, hypertension I10, interstitial cystitis N30.10 -> ONE precaution card listing all [C-V:105.12.1104][C-V:106.12.1001][C-V:600.263].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("F20.9", YearsAgo(10)).Icd("F10.20", YearsAgo(3)).Icd("I10", YearsAgo(5)).Icd("N30.10", YearsAgo(2)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.Psychosis, FindingCodes.SubstanceUseDisorder, FindingCodes.Hypertension, FindingCodes.InterstitialCystitis],
            Cards = [Precaution() with { DetailContainsIgnoreCase = ["hypertension", "cystitis", "substance", "psycho"] }],
        };

        yield return new()
        {
            Name = "sign-ketamine-snomed-precautions",
            Spec = PrecautionRule + "schizophrenia 58214004, alcoholism 7200002, hypertensive disorder 38341003, pregnancy 77386006 (SNOMED) -> one card.",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdCandidatePatient(age: 33).Sct("58214004", YearsAgo(8)).Sct("7200002", YearsAgo(4)).Sct("38341003", YearsAgo(2)).Sct("77386006", DaysAgo(50)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.Psychosis, FindingCodes.SubstanceUseDisorder, FindingCodes.Hypertension, FindingCodes.Pregnancy],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-psychotic-disorder-and-drug-dependence",
            Spec = PrecautionRule + "psychotic disorder SNOMED 69322001 and alcohol dependence SNOMED 66590003.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Sct("69322001", YearsAgo(8)).Sct("66590003", YearsAgo(4)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.Psychosis, FindingCodes.SubstanceUseDisorder],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-bipolar-precaution-and-no-indication",
            Spec = PrecautionRule + "bipolar disorder F31.9 [T4][G8]; bipolar makes TRD not applicable, so indication-not-documented (TRD neither met nor possible, no MDD with suicidal ideation) also fires.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("F31.9", YearsAgo(6)).Build(),
            KetamineOrdered = true,
            TrdStatus = TrdStatus.NotApplicable,
            Findings = [FindingCodes.BipolarDisorder, FindingCodes.IndicationNotDocumented],
            Cards = [Precaution(), Card(CardTopics.IndicationNotDocumented, Warning)],
        };

        yield return new()
        {
            Name = "sign-esketamine-just-turned-18",
            Spec = PrecautionRule + "age < 18 only: born 2008-11-26, 18 on 2026-11-26 -> no precaution, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().BornOn(new DateOnly(2008, 11, 26)).Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.AgeUnder18],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-partial-birth-month-may-be-17",
            Spec = PrecautionRule + "age < 18 [L2] with a partial birth date: born 2008-11 (FHIR date), on 2026-11-27 the patient is 18 if born by the 27th, else 17 -> precaution, saying the age is uncertain.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().BornIn("2008-11").Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AgeUnder18],
            Cards = [Precaution() with { DetailContainsIgnoreCase = ["age 17 or 18", "partial"] }],
        };

        yield return new()
        {
            Name = "sign-esketamine-birth-year-only-may-be-17",
            Spec = PrecautionRule + "age < 18 [L2] with a birth year only: born 2008, on 2026-11-27 the patient is 17 if born after 27 November -> precaution.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().BornIn("2008").Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AgeUnder18],
            Cards = [Precaution() with { DetailContainsIgnoreCase = ["age 17 or 18"] }],
        };

        yield return new()
        {
            Name = "sign-esketamine-birth-year-only-adult",
            Spec = PrecautionRule + "born 2007 (year only): 18 or 19 on 2026-11-27 -> no age precaution, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().BornIn("2007").Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.AgeUnder18],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-18-tomorrow",
            Spec = PrecautionRule + "born 2008-11-28: still 17 on 2026-11-27 -> age < 18 precaution [L2].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().BornOn(new DateOnly(2008, 11, 28)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AgeUnder18],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-not-pregnant-observation",
            Spec = "Pregnancy status 82810-3 answered 'Not pregnant' (SNOMED 60001007) [C-V:526.3.378] -> no pregnancy precaution, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient(age: 30).PregnancyStatus(DaysAgo(3), Sys.Snomed, "60001007", "Not pregnant").Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.Pregnancy],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-resolved-pregnancy",
            Spec = "Pregnancy is a current state: Z33.1 resolved three months ago -> no pregnancy precaution, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient(age: 30).Icd("Z33.1", MonthsAgo(12), clinicalStatus: "resolved", abatement: MonthsAgo(3)).Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.Pregnancy],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-history-of-psychosis",
            Spec = PrecautionRule + "'patients with psychosis or a history of psychosis need careful assessment' [L10][L21]: F29 resolved years ago still counts.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("F29", YearsAgo(9), clinicalStatus: "resolved", abatement: YearsAgo(8)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.Psychosis],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-alcohol-use-disorder-in-remission",
            Spec = PrecautionRule + "'history of substance use disorder, including alcohol' [L4][L10]: F10.21 (F10-F16, F18, F19) counts.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("F10.21", YearsAgo(3)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.SubstanceUseDisorder],
            Cards = [Precaution()],
        };

        yield return new()
        {
            Name = "sign-esketamine-nicotine-is-not-sud",
            Spec = "Substance use disorder = F10-F16, F18, F19; 'F17 nicotine not included' [C-V:106.12.1001] -> F17.210 gives no precaution, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("F17.210", YearsAgo(10)).Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.SubstanceUseDisorder],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-two-aneurysm-codes-one-card",
            Spec = ContraRule + "one card per contraindication (not per code): legacy I71.4 (I71.x) and I67.1 are both aneurysmal vascular disease -> one card citing both.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I71.4", YearsAgo(2)).Icd("I67.1", YearsAgo(1)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [Contraindication(Hooks.EsketamineDraftId, "I71.4", "I67.1")],
        };

        yield return new()
        {
            Name = "sign-ketamine-draft-with-contained-medication",
            Spec = ContraRule + "the draft names ketamine through a contained Medication (medicationReference '#med'); ICH I61.9.",
            Hook = Hooks.Sign(Hooks.DraftWithContainedMedication(Med.Ketamine, Hooks.KetamineDraftId)),
            Resources = TrdCandidatePatient().Icd("I61.9", YearsAgo(4)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.IntracerebralHemorrhage],
            Cards = [Contraindication(Hooks.KetamineDraftId)],
        };

        yield return new()
        {
            Name = "sign-esketamine-other-allergy-only",
            Spec = "Hypersensitivity means ketamine/esketamine in AllergyIntolerance; a sertraline allergy (RxNorm 36437) is not a contraindication -> no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Allergy("36437", "sertraline").Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.KetamineHypersensitivity],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-deceased-boolean",
            Spec = "Deceased (deceasedBoolean) -> no cards, even with a contraindication and a draft.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Icd("I71.4", YearsAgo(2)).DeceasedFlag().Build(),
            Deceased = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-bp-29-days-ago-is-recent",
            Spec = "BP window 30 days: a normal BP 29 days ago is recent -> no blood-pressure card.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(29), 122, 78).Build(),
            KetamineOrdered = true,
            AbsentFindings = [FindingCodes.BloodPressureNotRecent, FindingCodes.BloodPressureElevated],
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-interacting-scd-codes",
            Spec = InteractionRule + "SCD codes from VSAC 'Schedule IV Benzodiazepines' (197901 lorazepam 1 MG Oral Tablet) and 'Opioids' (1049621 oxycodone hydrochloride 5 MG Oral Tablet) -> two warning cards [C-V:1125.1][C-V:1248.120].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient()
                .CurrentRequest(Med.Rx("197901", "lorazepam 1 MG Oral Tablet"), Dose.Tablets(1))
                .CurrentRequest(Med.Rx("1049621", "oxycodone hydrochloride 5 MG Oral Tablet"), Dose.Tablets(1, timesPerDay: 3))
                .Build(),
            Findings = [Interacts(Ic.Benzodiazepines), Interacts(Ic.Opioids)],
            Cards = [Interaction(Warning, "lorazepam"), Interaction(Warning, "oxycodone")],
        };

        // ---- blood pressure --------------------------------------------------------------------------------
        yield return new()
        {
            Name = "sign-bp-elevated-panel",
            Spec = "Latest BP (85354-9 panel, 8480-6/8462-4 components) within 30 days above 140/90 -> blood-pressure warning [L3].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(3), 152, 96).Build(),
            Findings = [FindingCodes.BloodPressureElevated],
            Cards = [Card(CardTopics.BloodPressure, Warning) with { DetailContains = ["152"] }],
        };

        yield return new()
        {
            Name = "sign-ketamine-bp-elevated-and-hypertension-use-ketamine-sources",
            Spec = "Racemic ketamine order, BP 168/102 and hypertension I10: the blood-pressure card and the hypertension precaution cite the ketamine injection label (contraindicated where a significant BP rise is a serious hazard) [L15][L18], never the esketamine nasal spray's 40-minute recheck [L3].",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(3), 168, 102).Icd("I10", YearsAgo(5)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.BloodPressureElevated, FindingCodes.Hypertension],
            Cards =
            [
                Card(CardTopics.BloodPressure, Warning) with { DetailContains = ["168", "ketamine injection label", "[L15]"], DetailLacksWord = ["Recheck about 40 minutes", "the label's example"] },
                Precaution() with { DetailContainsIgnoreCase = ["ketamine injection label"] },
            ],
        };

        yield return new()
        {
            Name = "sign-bp-elevated-separate-observations-systolic-only",
            Spec = "Separate 8480-6 / 8462-4 Observations; 146/84 is above the example '>140 systolic or >90 diastolic' [L3] -> warning.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpSeparate(DaysAgo(2), 146, 84).Build(),
            Findings = [FindingCodes.BloodPressureElevated],
            Cards = [Card(CardTopics.BloodPressure, Warning) with { DetailContains = ["146"], SummaryContains = "systolic 146 above 140" }],
        };

        yield return new()
        {
            Name = "sign-bp-elevated-diastolic-only",
            Spec = "132/94: diastolic > 90 is elevated [L3] -> blood-pressure warning that names the diastolic part (not 'above 140/90': the systolic is not).",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(1), 132, 94).Build(),
            Findings = [FindingCodes.BloodPressureElevated],
            Cards = [Card(CardTopics.BloodPressure, Warning) with { SummaryContains = "diastolic 94 above 90", DetailContains = ["diastolic 94 above 90"] }],
        };

        yield return new()
        {
            Name = "sign-bp-latest-normal-after-older-high",
            Spec = "The LATEST BP decides: 162/102 twenty days ago, 124/78 two days ago -> no blood-pressure card.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(20), 162, 102).BpPanel(DaysAgo(2), 124, 78).Build(),
            AbsentFindings = [FindingCodes.BloodPressureElevated, FindingCodes.BloodPressureNotRecent],
            KetamineOrdered = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-bp-latest-high-after-older-normal",
            Spec = "The LATEST BP decides: 120/80 twenty days ago, 158/92 yesterday -> blood-pressure warning.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(20), 120, 80).BpSeparate(DaysAgo(1), 158, 92).Build(),
            Findings = [FindingCodes.BloodPressureElevated],
            Cards = [Card(CardTopics.BloodPressure, Warning) with { DetailContains = ["158"] }],
        };

        yield return new()
        {
            Name = "sign-bp-exactly-140-90-not-above",
            Spec = "'above 140/90' (label: '>140 systolic or >90 diastolic') -> 140/90 is not elevated; no card.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(1), 140, 90).Build(),
            AbsentFindings = [FindingCodes.BloodPressureElevated],
            KetamineOrdered = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-bp-stale",
            Spec = "No BP within 30 days (only a high one 45 days ago) -> blood-pressure info, not a warning (Clinical:BloodPressureWindowDays = 30); " +
                "the card still shows the last known reading and its date.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdPatientWithoutBp().BpPanel(DaysAgo(45), 150, 95).Build(),
            Findings = [FindingCodes.BloodPressureNotRecent],
            AbsentFindings = [FindingCodes.BloodPressureElevated],
            Cards = [Card(CardTopics.BloodPressure, Info) with { DetailContains = ["last known reading is 150/95 mmHg on " + DaysAgo(45).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)] }],
        };

        yield return new()
        {
            Name = "select-bp-none",
            Spec = "No BP at all -> blood-pressure info (order-select with the ketamine order selected).",
            Hook = Hooks.Select([Hooks.KetamineDraft()], "MedicationRequest/" + Hooks.KetamineDraftId),
            Resources = TrdPatientWithoutBp().Build(),
            Findings = [FindingCodes.BloodPressureNotRecent],
            Cards = [Card(CardTopics.BloodPressure, Info)],
        };

        // ---- interactions with current medications --------------------------------------------------------
        yield return new()
        {
            Name = "sign-current-lorazepam",
            Spec = InteractionRule + "benzodiazepines (lorazepam 6470) Major -> warning [L5][L15].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().CurrentRequest(Med.Ingredient("6470", "lorazepam"), Dose.Mg(1, timesPerDay: 2)).Build(),
            Findings = [Interacts(Ic.Benzodiazepines)],
            Cards = [Interaction(Warning, "lorazepam")],
        };

        yield return new()
        {
            Name = "sign-current-two-opioids-one-card",
            Spec = InteractionRule + "opioids (oxycodone 7804, tramadol 10689) Major -> ONE warning card naming both [L5][L15][C-E].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient()
                .CurrentRequest(Med.Ingredient("7804", "oxycodone"), Dose.Mg(5, timesPerDay: 3))
                .Statement(Med.Ingredient("10689", "tramadol"), Dose.Mg(50, timesPerDay: 2), DaysAgo(40), null, MedicationStatement.MedicationStatusCodes.Active)
                .Build(),
            Findings = [Interacts(Ic.Opioids)],
            Cards = [Interaction(Warning, "oxycodone", "tramadol")],
        };

        yield return new()
        {
            Name = "sign-ancient-active-alprazolam-not-current",
            Spec = InteractionRule + "'an active order authored years ago doesn't count': alprazolam 596 active since 2018 -> no interaction, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().RequestAuthoredOnly(Med.Ingredient("596", "alprazolam"), Dose.Mg(0.5m), new DateTimeOffset(2018, 1, 10, 9, 0, 0, TimeSpan.Zero), MrStatus.Active).Build(),
            AbsentFindings = [Interacts(Ic.Benzodiazepines)],
            KetamineOrdered = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-recently-stopped-clonazepam-not-current",
            Spec = InteractionRule + "current = active AND recent: clonazepam 2598 stopped 10 days ago -> no interaction, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().Request(Med.Ingredient("2598", "clonazepam"), Dose.Mg(0.5m), DaysAgo(60), DaysAgo(10), MrStatus.Stopped).Build(),
            AbsentFindings = [Interacts(Ic.Benzodiazepines)],
            KetamineOrdered = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-adderall-brand",
            Spec = InteractionRule + "Adderall brand -> amphetamine + dextroamphetamine [brand-names.md]; psychostimulants Major -> warning [L5][L6].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().CurrentRequest(Med.TextOnly("Adderall 20 mg tablet"), Dose.Tablets(1)).Build(),
            Findings = [Interacts(Ic.Psychostimulants)],
            Cards = [Interaction(Warning, "amphetamine", "dextroamphetamine", "Adderall")],
        };

        yield return new()
        {
            Name = "sign-dextroamphetamine-is-not-amphetamine",
            Spec = InteractionRule + "whole-word matching: dextroamphetamine never counts as amphetamine [brand-names.md]; psychostimulants include amphetamine/dextroamphetamine (§3) -> warning naming dextroamphetamine only.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().CurrentRequest(Med.TextOnly("dextroamphetamine sulfate 10 mg tablet"), Dose.Tablets(1)).Build(),
            Findings = [Interacts(Ic.Psychostimulants)],
            Cards = [Interaction(Warning, "dextroamphetamine") with { DetailLacksWord = ["amphetamine"] }],
        };

        yield return new()
        {
            Name = "sign-methylphenidate-and-modafinil-one-card",
            Spec = InteractionRule + "psychostimulants methylphenidate 6901 + modafinil 30125 -> one warning card naming both [L5].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient()
                .CurrentRequest(Med.Ingredient("6901", "methylphenidate"), Dose.Mg(10, timesPerDay: 2))
                .CurrentRequest(Med.Ingredient("30125", "modafinil"), Dose.Mg(100))
                .Build(),
            Findings = [Interacts(Ic.Psychostimulants)],
            Cards = [Interaction(Warning, "methylphenidate", "modafinil")],
        };

        yield return new()
        {
            Name = "sign-zolpidem-and-gabapentinoids",
            Spec = InteractionRule + "z-drugs (zolpidem 39993) and gabapentinoids (gabapentin 25480, pregabalin 187832), both Major (class) -> two warning cards [L5][C-V:1248.134].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient()
                .CurrentRequest(Med.Ingredient("39993", "zolpidem"), Dose.Mg(5))
                .CurrentRequest(Med.Ingredient("25480", "gabapentin"), Dose.Mg(300, timesPerDay: 3))
                .CurrentRequest(Med.Ingredient("187832", "pregabalin"), Dose.Mg(75, timesPerDay: 2))
                .Build(),
            Findings = [Interacts(Ic.ZDrugs), Interacts(Ic.Gabapentinoids)],
            Cards = [Interaction(Warning, "zolpidem"), Interaction(Warning, "gabapentin", "pregabalin")],
        };

        yield return new()
        {
            Name = "sign-maoi-phenelzine",
            Spec = InteractionRule + "MAOIs (phenelzine 8123) Major -> warning [L5][L8].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().CurrentRequest(Med.Ingredient("8123", "phenelzine"), Dose.Mg(15, timesPerDay: 3)).Build(),
            Findings = [Interacts(Ic.Maois)],
            Cards = [Interaction(Warning, "phenelzine")],
        };

        yield return new()
        {
            Name = "sign-ketamine-theophylline-and-memantine",
            Spec = InteractionRule + "theophylline 10438 'Major (ketamine)' -> warning [L17][L18]; memantine 6719 'Moderate' -> info [L20].",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdCandidatePatient()
                .CurrentRequest(Med.Ingredient("10438", "theophylline"), Dose.Mg(300))
                .CurrentRequest(Med.Ingredient("6719", "memantine"), Dose.Mg(10, timesPerDay: 2))
                .Build(),
            Findings = [Interacts(Ic.Theophyllines), Interacts(Ic.Memantine)],
            Cards = [Interaction(Warning, "theophylline"), Interaction(Info, "memantine")],
        };

        yield return new()
        {
            Name = "sign-cyp3a4-inhibitor-and-inducers",
            Spec = InteractionRule + "strong CYP3A4 inhibitor clarithromycin 21212 'Moderate' -> info; CYP inducers rifampin 9384 + carbamazepine 2002 'Moderate (efficacy)' -> one info card [I8][I10][L16].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient()
                .CurrentRequest(Med.Ingredient("21212", "clarithromycin"), Dose.Mg(500, timesPerDay: 2), startedDaysAgo: 5)
                .CurrentRequest(Med.Ingredient("9384", "rifampin"), Dose.Mg(600), startedDaysAgo: 30)
                .CurrentRequest(Med.Ingredient("2002", "carbamazepine"), Dose.Mg(200, timesPerDay: 2), startedDaysAgo: 60)
                .Build(),
            Findings = [Interacts(Ic.StrongCyp3a4Inhibitors), Interacts(Ic.CypInducers)],
            Cards = [Interaction(Info, "clarithromycin"), Interaction(Info, "rifampin", "carbamazepine")],
        };

        yield return new()
        {
            Name = "sign-pseudoephedrine",
            Spec = InteractionRule + "sympathomimetics (pseudoephedrine 8896) 'Moderate–Major' (indicator left open) [L15][L16].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = TrdCandidatePatient().CurrentRequest(Med.Ingredient("8896", "pseudoephedrine"), Dose.Mg(60, timesPerDay: 3), startedDaysAgo: 3).Build(),
            Findings = [Interacts(Ic.Sympathomimetics)],
            Cards = [Interaction(null, "pseudoephedrine")],
        };

        // ---- order-select selections & interacting draft orders -------------------------------------------
        yield return new()
        {
            Name = "select-selection-is-not-the-ketamine-order",
            Spec = "order-select: context.selections names the newly selected order; here it is the sertraline draft, not the ketamine draft -> no ketamine safety cards despite an aortic aneurysm.",
            Hook = Hooks.Select([Hooks.KetamineDraft(), Hooks.Draft(Med.Sertraline50Tab, "draft-sertraline", Dose.Tablets(1))], "MedicationRequest/draft-sertraline"),
            Resources = TrdCandidatePatient().Icd("I71.4", YearsAgo(2)).Build(),
            Cards = [],
        };

        yield return new()
        {
            Name = "select-selection-is-the-ketamine-order",
            Spec = ContraRule + "order-select whose selection is the ketamine draft -> contraindication with delete of that draft.",
            Hook = Hooks.Select([Hooks.Draft(Med.Sertraline50Tab, "draft-sertraline", Dose.Tablets(1)), Hooks.KetamineDraft()], "MedicationRequest/" + Hooks.KetamineDraftId),
            Resources = TrdCandidatePatient().Icd("I71.4", YearsAgo(2)).Build(),
            KetamineOrdered = true,
            Findings = [FindingCodes.AneurysmalVascularDisease],
            Cards = [Contraindication(Hooks.KetamineDraftId)],
        };

        yield return new()
        {
            Name = "sign-zolpidem-draft-while-on-esketamine",
            Spec = "card-contract drug-interaction: 'a draft order for an interacting drug while the patient is on ketamine/esketamine'; z-drugs Major -> warning naming zolpidem.",
            Hook = Hooks.Sign(Hooks.Draft(Med.Ingredient("39993", "zolpidem"), "draft-zolpidem", Dose.Mg(5))),
            Resources = TrdCandidatePatient().CurrentRequest(Med.Esketamine, startedDaysAgo: 10).Build(),
            OnKetamineTherapy = true,
            KetamineOrdered = false,
            Findings = [Interacts(Ic.ZDrugs)],
            Cards = [Interaction(Warning, "zolpidem")],
        };

        yield return new()
        {
            Name = "select-clarithromycin-draft-while-on-ketamine",
            Spec = "Interacting draft while on ketamine (MedicationStatement, active): strong CYP3A4 inhibitor 'Moderate' -> info [I8][L16].",
            Hook = Hooks.Select([Hooks.Draft(Med.Ingredient("21212", "clarithromycin"), "draft-clarithromycin", Dose.Mg(500, timesPerDay: 2))], "MedicationRequest/draft-clarithromycin"),
            Resources = TrdCandidatePatient().Statement(Med.Ketamine, null, DaysAgo(21), null, MedicationStatement.MedicationStatusCodes.Active).Build(),
            OnKetamineTherapy = true,
            Findings = [Interacts(Ic.StrongCyp3a4Inhibitors)],
            Cards = [Interaction(Info, "clarithromycin")],
        };

        yield return new()
        {
            Name = "sign-zolpidem-draft-not-on-ketamine",
            Spec = "An interacting draft order without current ketamine/esketamine -> nothing relevant, no cards.",
            Hook = Hooks.Sign(Hooks.Draft(Med.Ingredient("39993", "zolpidem"), "draft-zolpidem", Dose.Mg(5))),
            Resources = TrdCandidatePatient().Build(),
            OnKetamineTherapy = false,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-zolpidem-draft-ancient-esketamine-order",
            Spec = "'active' is not 'current': an esketamine order still active but authored in 2019 -> not on esketamine, no cards.",
            Hook = Hooks.Sign(Hooks.Draft(Med.Ingredient("39993", "zolpidem"), "draft-zolpidem", Dose.Mg(5))),
            Resources = TrdCandidatePatient().RequestAuthoredOnly(Med.Esketamine, null, new DateTimeOffset(2019, 4, 2, 9, 0, 0, TimeSpan.Zero), MrStatus.Active).Build(),
            OnKetamineTherapy = false,
            Cards = [],
        };

        // ---- indication ------------------------------------------------------------------------------------
        yield return new()
        {
            Name = "sign-esketamine-no-depression",
            Spec = "indication-not-documented: ketamine/esketamine draft while TRD is neither met nor possible and no MDD with suicidal ideation (card-contract) [L1].",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = new PatientBuilder().RecentNormalBp().Build(),
            TrdStatus = TrdStatus.NotApplicable,
            Findings = [FindingCodes.IndicationNotDocumented],
            Cards = [Card(CardTopics.IndicationNotDocumented, Warning)],
        };

        yield return new()
        {
            Name = "sign-esketamine-mdd-not-trd",
            Spec = "indication-not-documented: MDD with a single failed trial (TRD NotMet), no suicidal ideation.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(10)).RecentNormalBp()
                .Request(Med.Citalopram20Tab, Dose.Tablets(1), MonthsAgo(9), MonthsAgo(4))
                .CurrentRequest(Med.Mirtazapine15Tab, Dose.Tablets(1))
                .Build(),
            TrdStatus = TrdStatus.NotMet,
            Findings = [FindingCodes.IndicationNotDocumented],
            Cards = [Card(CardTopics.IndicationNotDocumented, Warning)],
        };

        yield return new()
        {
            Name = "sign-esketamine-mdd-with-suicidal-ideation",
            Spec = "MDD with acute suicidal ideation is a label indication [L1]: F33.2 + R45.851 [C-R45] -> no indication card, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = new PatientBuilder().Icd("F33.2", MonthsAgo(3)).Icd("R45.851", DaysAgo(2)).RecentNormalBp().Build(),
            AbsentFindings = [FindingCodes.IndicationNotDocumented],
            KetamineOrdered = true,
            Cards = [],
        };

        yield return new()
        {
            Name = "sign-esketamine-trd-possible",
            Spec = "indication-not-documented only when TRD is neither met NOR POSSIBLE -> possible TRD, no cards.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = new PatientBuilder().Icd("F33.1", MonthsAgo(12)).TwoTrialsWithoutDose().RecentNormalBp().Build(),
            TrdStatus = TrdStatus.Possible,
            AbsentFindings = [FindingCodes.IndicationNotDocumented],
            KetamineOrdered = true,
            Cards = [],
        };

        // ---- data unavailable ------------------------------------------------------------------------------
        yield return new()
        {
            Name = "sign-ketamine-data-unavailable",
            Spec = "Order hook with a ketamine draft and some data unavailable -> ONE data-unavailable warning naming the checks not done " +
                "(allergies -> hypersensitivity; observations -> blood pressure). No blood-pressure card: 'no BP in 30 days' cannot be claimed when Observations were not read.",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdPatientWithoutBp().Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.Allergies, PatientDataKind.Observations },
            RequiredDataMissing = false,
            KetamineOrdered = true,
            Cards = [Card(CardTopics.DataUnavailable, Warning) with { DetailContainsIgnoreCase = ["hypersensitivity", "blood pressure"] }],
        };

        yield return new()
        {
            Name = "sign-esketamine-conditions-unavailable",
            Spec = "Order hook with an esketamine draft and Conditions unavailable -> one data-unavailable warning naming the condition-based checks " +
                "(contraindications, e.g. aneurysm); answered with cards, not 412. No indication-not-documented: the indication cannot be judged without Conditions.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = new PatientBuilder().RecentNormalBp().Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.Conditions },
            RequiredDataMissing = false,
            KetamineOrdered = true,
            Cards = [Card(CardTopics.DataUnavailable, Warning) with { DetailContainsIgnoreCase = ["contraindication"] }],
        };

        yield return new()
        {
            Name = "sign-esketamine-everything-at-once",
            Spec = "All card kinds coexist on one ketamine order (card-contract table): aortic aneurysm -> contraindication (critical); schizophrenia -> precaution; " +
                "current lorazepam -> drug-interaction warning; BP 160/100 two days ago -> blood-pressure warning; no depression -> indication-not-documented.",
            Hook = Hooks.Sign(Hooks.EsketamineDraft()),
            Resources = new PatientBuilder().Icd("I71.4", YearsAgo(2)).Icd("F20.9", YearsAgo(10))
                .CurrentRequest(Med.Ingredient("6470", "lorazepam"), Dose.Mg(1))
                .BpPanel(DaysAgo(2), 160, 100)
                .Build(),
            KetamineOrdered = true,
            TrdStatus = TrdStatus.NotApplicable,
            Findings =
            [
                FindingCodes.AneurysmalVascularDisease, FindingCodes.Psychosis, Interacts(Ic.Benzodiazepines),
                FindingCodes.BloodPressureElevated, FindingCodes.IndicationNotDocumented,
            ],
            Cards =
            [
                Contraindication(Hooks.EsketamineDraftId, "I71.4"),
                Precaution(),
                Interaction(Warning, "lorazepam"),
                Card(CardTopics.BloodPressure, Warning),
                Card(CardTopics.IndicationNotDocumented, Warning),
            ],
        };

        yield return new()
        {
            Name = "sign-ketamine-medications-unavailable",
            Spec = "Order hook with a ketamine draft and medication data unavailable -> one data-unavailable warning naming the interaction check; cards, not 412.",
            Hook = Hooks.Sign(Hooks.KetamineDraft()),
            Resources = TrdCandidatePatient().Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.MedicationRequests, PatientDataKind.MedicationStatements, PatientDataKind.MedicationDispenses },
            RequiredDataMissing = false,
            KetamineOrdered = true,
            Cards = [Card(CardTopics.DataUnavailable, Warning) with { DetailContainsIgnoreCase = ["interaction"] }],
        };

        yield return new()
        {
            Name = "sign-non-ketamine-order-data-unavailable",
            Spec = "data-unavailable is only for orders with a ketamine/esketamine draft (card-contract) -> sertraline draft with Allergies unavailable: no cards.",
            Hook = Hooks.Sign(Hooks.Draft(Med.Sertraline50Tab, "draft-sertraline", Dose.Tablets(1))),
            Resources = TrdCandidatePatient().Build(),
            Unavailable = new HashSet<PatientDataKind> { PatientDataKind.Allergies },
            Cards = [],
        };
    }
}
