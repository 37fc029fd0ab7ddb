using Hl7.Fhir.Model;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Support.Clock;
using MrStatus = Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus;

namespace KetamineCds.Core.Tests.Cards;

public sealed class CardCompositionTests
{
    private static readonly CodeableConcept Esketamine = Res.Rx("2119365", "esketamine");

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

    private static void AssertContract(CdsCard card)
    {
        Assert.True(Guid.TryParse(card.Uuid, out _));
        Assert.InRange(card.Summary.Length, 1, 139);
        Assert.Equal("KetamineCds", card.Source.Label);
        Assert.Equal(CardTopics.System, card.Source.Topic!.System);
        Assert.False(string.IsNullOrWhiteSpace(card.Source.Topic.Display));
        Assert.NotNull(card.Detail);
        var lastLine = card.Detail!.Split('\n')[^1];
        Assert.StartsWith("Knowledge base: 2026.12.1", lastLine, StringComparison.Ordinal);
        Assert.Contains("[", lastLine, StringComparison.Ordinal);
        Assert.NotNull(card.Links);
        Assert.NotEmpty(card.Links!);
        Assert.All(card.Links!, l => Assert.True(l.Type == CdsLinkType.Absolute && Uri.IsWellFormedUriString(l.Url, UriKind.Absolute)));
        Assert.Equal(card.Suggestions is not null, card.SelectionBehavior is not null);
        Assert.True(card.Suggestions is null || card.Suggestions.Count > 0);
        Assert.True(card.OverrideReasons is null || card.OverrideReasons.Count > 0);
        Assert.All(card.Suggestions ?? [], s => Assert.True(Guid.TryParse(s.Uuid, out _)));
    }

    [Fact]
    public void Trd_candidate_card_has_the_failed_trials_staging_safety_section_and_a_referral()
    {
        var outcome = EngineHarness.PatientView([.. TrdPatient()]);

        var card = Assert.Single(outcome.Cards);
        AssertContract(card);
        Assert.Equal(CardTopics.TrdCandidate, card.Source.Topic!.Code);
        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Contains("**sertraline** (Zoloft 100 mg tablet): 100 mg/day", card.Detail, StringComparison.Ordinal);
        Assert.Contains("**venlafaxine** (venlafaxine 75 MG Oral Tablet): 150 mg/day", card.Detail, StringComparison.Ordinal);
        Assert.Contains(MonthsAgo(16).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), card.Detail, StringComparison.Ordinal);
        Assert.Contains("Maudsley Staging Method: 7 of 15", card.Detail, StringComparison.Ordinal);
        Assert.Contains("Thase-Rush stage: II", card.Detail, StringComparison.Ordinal);
        Assert.Contains("**Before considering ketamine/esketamine**", card.Detail, StringComparison.Ordinal);
        Assert.Contains("Blood pressure: latest 124/80 mmHg", card.Detail, StringComparison.Ordinal);

        Assert.Equal(SelectionBehavior.AtMostOne, card.SelectionBehavior);
        var action = Assert.Single(Assert.Single(card.Suggestions!).Actions!);
        Assert.Equal(CdsActionType.Create, action.Type);
        var referral = Assert.IsType<ServiceRequest>(action.Resource);
        Assert.Equal(RequestStatus.Draft, referral.Status);
        Assert.Equal(RequestIntent.Proposal, referral.Intent);
        Assert.Equal("Patient/p1", referral.Subject?.Reference);
        Assert.Equal("Referral to psychiatry for ketamine/esketamine evaluation", referral.Code?.Text);
        Assert.Empty(referral.Code!.Coding);

        var summary = outcome.Assessment!;
        Assert.Equal(TrdStatus.Met, summary.TrdStatus);
        Assert.Equal(["sertraline", "venlafaxine"], summary.FailedTrialIngredients.Order(StringComparer.Ordinal));
        Assert.Equal(7, summary.MaudsleyScore);
        Assert.Equal("II", summary.ThaseRushStage);
    }

    [Fact]
    public void Trd_card_with_a_contraindication_is_a_warning_without_referral()
    {
        var outcome = EngineHarness.PatientView([.. TrdPatient(), Res.Condition(Res.Icd10Cm, "Q28.2", MonthsAgo(60))]);

        var card = Assert.Single(outcome.Cards);
        AssertContract(card);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Contains("contraindication", card.Summary, StringComparison.Ordinal);
        Assert.Null(card.Suggestions);
        Assert.Null(card.SelectionBehavior);
        Assert.Contains("Q28.2", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Uuids_are_fresh_on_every_evaluation()
    {
        var first = EngineHarness.PatientView([.. TrdPatient()]).Cards.Single();
        var second = EngineHarness.PatientView([.. TrdPatient()]).Cards.Single();

        Assert.NotEqual(first.Uuid, second.Uuid);
        Assert.NotEqual(first.Suggestions![0].Uuid, second.Suggestions![0].Uuid);
    }

    [Fact]
    public void Links_go_to_the_sources_the_card_cites_and_a_ketamine_card_never_falls_back_to_the_esketamine_label()
    {
        // Racemic ketamine + aortic aneurysm: the card cites [G9] (a textbook, no URL), so its one link is the ketamine
        // injection label [L15], not the esketamine nasal spray's [L1].
        var ketamine = EngineHarness.Sign(
            [Res.Draft(Res.Rx("6130", "ketamine"), "ket-1")],
            [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "I71.40", YearsAgo(2))]);
        var aneurysm = Assert.Single(ketamine.Cards, c => c.Source.Topic!.Code == CardTopics.Contraindication);
        Assert.EndsWith("Sources: [G9]", aneurysm.Detail, StringComparison.Ordinal);
        Assert.StartsWith("[L15] ", Assert.Single(aneurysm.Links!).Label, StringComparison.Ordinal);

        // Esketamine + a benzodiazepine: the card's links are its own sources; [L1] is not added to them.
        var esketamine = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Request(Res.Rx("6470", "lorazepam"), Res.Dose(1, "tablet"), DaysAgo(20), null, MrStatus.Active)]);
        var interaction = Assert.Single(esketamine.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        var cited = interaction.Detail!.Split('\n')[^1];
        Assert.All(interaction.Links!, l => Assert.Contains(l.Label[..(l.Label.IndexOf(']', StringComparison.Ordinal) + 1)], cited, StringComparison.Ordinal));
    }

    [Fact]
    public void The_hypersensitivity_card_names_the_allergy_code_and_an_unconfirmed_status()
    {
        var unconfirmed = Res.Allergy(Res.Rx("6130", "ketamine"));
        unconfirmed.VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "unconfirmed");

        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), unconfirmed]);

        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Contraindication);
        Assert.Contains("allergy or intolerance to ketamine recorded, RxNorm 6130, verification status unconfirmed", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Contraindication_cards_are_critical_one_each_with_a_delete_suggestion_and_override_reasons()
    {
        var outcome = EngineHarness.Sign(
            [Res.Draft(Esketamine, "esk-1")],
            [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "I71.40", YearsAgo(2)), Res.Allergy(Res.Rx("6130", "ketamine"))]);

        var cards = outcome.Cards.Where(c => c.Source.Topic!.Code == CardTopics.Contraindication).ToList();
        Assert.Equal(2, cards.Count);
        foreach (var card in cards)
        {
            AssertContract(card);
            Assert.Equal(CardIndicator.Critical, card.Indicator);
            Assert.Equal(SelectionBehavior.AtMostOne, card.SelectionBehavior);
            var action = Assert.Single(Assert.Single(card.Suggestions!).Actions!);
            Assert.Equal(CdsActionType.Delete, action.Type);
            Assert.Equal("MedicationRequest/esk-1", action.ResourceId);
            Assert.All(card.OverrideReasons!, r => Assert.False(string.IsNullOrWhiteSpace(r.Display)));
        }

        Assert.Contains(cards, c => c.Detail!.Contains("ICD-10-CM I71.40", StringComparison.Ordinal));
        Assert.Contains(cards, c => c.Detail!.Contains("allergy or intolerance to ketamine", StringComparison.Ordinal));

        // Override reasons fit the card (issue 8): no "hypersensitivity not confirmed" on the aneurysm card, and the
        // allergy card offers it.
        var aneurysm = cards.Single(c => c.Detail!.Contains("ICD-10-CM I71.40", StringComparison.Ordinal));
        var allergy = cards.Single(c => c != aneurysm);
        Assert.DoesNotContain(aneurysm.OverrideReasons!, r => r.Code == "allergy-not-confirmed");
        Assert.Contains(aneurysm.OverrideReasons!, r => r.Code == "condition-not-current");
        Assert.Contains(allergy.OverrideReasons!, r => r.Code == "allergy-not-confirmed");
        Assert.DoesNotContain(allergy.OverrideReasons!, r => r.Code == "condition-not-current");
        Assert.Equal(
            [FindingCodes.AneurysmalVascularDisease, FindingCodes.KetamineHypersensitivity],
            outcome.Assessment!.Findings.Where(f => f.StartsWith("contraindication:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Draft_without_id_gets_no_delete_suggestion_and_the_detail_says_so()
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, id: null)], [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "Q28.0")]);

        var card = Assert.Single(outcome.Cards);
        AssertContract(card);
        Assert.Null(card.Suggestions);
        Assert.Null(card.SelectionBehavior);
        Assert.Contains("no id", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Draft_with_contained_medication_is_recognised()
    {
        var draft = new MedicationRequest
        {
            Id = "esk-2",
            Status = MedicationRequest.MedicationrequestStatus.Draft,
            Contained = [new Medication { Id = "m", Code = Res.Text("Spravato 56 mg dose kit") }],
            Medication = new ResourceReference("#m"),
        };

        var outcome = EngineHarness.Sign([draft], [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "Q28.0")]);

        Assert.True(outcome.Assessment!.KetamineOrdered);
        Assert.Equal("MedicationRequest/esk-2", outcome.Cards.Single().Suggestions![0].Actions![0].ResourceId);
        Assert.Contains("esketamine (Spravato 56 mg dose kit)", outcome.Cards.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void All_precautions_share_one_card_and_its_summary_stays_under_140_characters()
    {
        var minor = Res.Patient(age: 16);
        var resources = TrdPatient();
        resources[0] = minor;
        resources.AddRange(
        [
            Res.Condition(Res.Icd10Cm, "F20.9"),
            Res.Condition(Res.Icd10Cm, "F10.20"),
            Res.Condition(Res.Icd10Cm, "I10"),
            Res.Condition(Res.Icd10Cm, "N30.10"),
            Res.Condition(Res.Icd10Cm, "Z33.1"),
            Res.Condition(Res.Icd10Cm, "G93.2"),
        ]);

        var outcome = EngineHarness.Sign([Res.Draft(Esketamine)], [.. resources]);

        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Precaution);
        AssertContract(card);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        foreach (var text in new[] { "Age under 18", "Psychosis", "Substance use disorder", "Hypertension", "Interstitial cystitis", "Pregnancy", "Raised intracranial pressure" })
        {
            Assert.Contains(text, card.Detail, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Null(card.Suggestions);
        Assert.Null(card.OverrideReasons);
    }

    [Fact]
    public void Indication_not_documented_when_neither_trd_nor_mdd_with_suicidal_ideation()
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine)], Res.Patient(), Res.BloodPressure(DaysAgo(1), 120, 70));

        var card = Assert.Single(outcome.Cards);
        AssertContract(card);
        Assert.Equal(CardTopics.IndicationNotDocumented, card.Source.Topic!.Code);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Contains(FindingCodes.IndicationNotDocumented, outcome.Assessment!.Findings);

        var withSuicidalIdeation = EngineHarness.Sign(
            [Res.Draft(Esketamine)],
            Res.Patient(),
            Res.BloodPressure(DaysAgo(1), 120, 70),
            Res.Condition(Res.Icd10Cm, "F33.2", MonthsAgo(2)),
            Res.Condition(Res.Icd10Cm, "R45.851", DaysAgo(3)));
        Assert.Empty(withSuicidalIdeation.Cards);
    }

    [Fact]
    public void Missing_observations_on_a_ketamine_order_give_one_data_unavailable_card_and_no_blood_pressure_card()
    {
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx("6130", "ketamine"))], []);

        var outcome = EngineHarness.Evaluate(hook, TrdPatient(), new HashSet<PatientDataKind> { PatientDataKind.Observations, PatientDataKind.Allergies });

        var card = Assert.Single(outcome.Cards);
        AssertContract(card);
        Assert.Equal(CardTopics.DataUnavailable, card.Source.Topic!.Code);
        Assert.Contains("blood pressure", card.Detail, StringComparison.Ordinal);
        Assert.Contains("hypersensitivity to ketamine", card.Detail, StringComparison.Ordinal);
        Assert.False(outcome.RequiredDataMissing);
        Assert.NotNull(outcome.Assessment);
        Assert.Equal([PatientDataKind.Observations, PatientDataKind.Allergies], outcome.MissingData);
    }

    [Fact]
    public void Racemic_ketamine_cards_for_missing_data_or_indication_cite_ketamine_sources_not_the_nasal_spray()
    {
        var missingObservations = new HashSet<PatientDataKind> { PatientDataKind.Observations };
        var ketamine = EngineHarness.Evaluate(new HookInput(HookKind.OrderSign, [Res.Draft(RacemicKetamine)], []), TrdPatient(), missingObservations);
        var esketamine = EngineHarness.Evaluate(new HookInput(HookKind.OrderSign, [Res.Draft(Esketamine)], []), TrdPatient(), missingObservations);

        var forKetamine = Assert.Single(ketamine.Cards);
        Assert.Equal(CardTopics.DataUnavailable, forKetamine.Source.Topic!.Code);
        Assert.EndsWith("Sources: [L15]", forKetamine.Detail, StringComparison.Ordinal);
        Assert.All(forKetamine.Links!, l => Assert.StartsWith("[L15] ", l.Label, StringComparison.Ordinal));
        Assert.EndsWith("Sources: [L1] [L3]", Assert.Single(esketamine.Cards).Detail, StringComparison.Ordinal);

        // No TRD, no MDD with suicidal ideation: racemic ketamine has no labelled indication in depression at all.
        var noIndication = EngineHarness.Sign([Res.Draft(RacemicKetamine)], Res.Patient(), Res.BloodPressure(DaysAgo(1), 120, 70));
        var card = Assert.Single(noIndication.Cards, c => c.Source.Topic!.Code == CardTopics.IndicationNotDocumented);
        AssertContract(card);
        Assert.Contains("off-label", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("US indications", card.Detail, StringComparison.Ordinal);
        Assert.EndsWith("Sources: [L15] [G1]", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Active_conditions_without_a_standard_code_are_named_as_not_checked_never_matched_from_text()
    {
        // A free-text problem-list entry and one coded only in a local system: no rule can read them, and none guesses
        // from the text. The order gets a card naming them; resolved, refuted, standard-coded and empty ones are left out.
        Condition TextOnly(string text, string clinicalStatus = "active", string? verification = null) => new()
        {
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinicalStatus),
            VerificationStatus = verification is null ? null : new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification),
            Code = new CodeableConcept { Text = text },
            Onset = new FhirDateTime(YearsAgo(2)),
        };
        var localOnly = Res.Condition("urn:oid:1.2.840.114350.1.13.0.1.7.2.696871", "48213");
        localOnly.Code!.Coding[0].Display = "Brain aneurysm <b>clipped</b>";

        var outcome = EngineHarness.Sign(
            [Res.Draft(Esketamine)],
            [
                .. TrdPatient(),
                TextOnly("History of intracerebral hemorrhage"),
                localOnly,
                TextOnly("Old stroke", clinicalStatus: "resolved"),
                TextOnly("Aneurysm (ruled out)", verification: "refuted"),
                Res.Condition(Res.Snomed, "195967001"), // asthma: coded, in no concept set: checked, nothing to say
                new Condition { Code = new CodeableConcept() },
            ]);

        var card = Assert.Single(outcome.Cards);
        AssertContract(card);
        Assert.Equal(CardTopics.DataUnavailable, card.Source.Topic!.Code);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("2 condition(s) recorded without a standard code could not be checked for esketamine", card.Summary);
        Assert.Contains($"- History of intracerebral hemorrhage (onset {FhirDates.Format(YearsAgo(2))})", card.Detail, StringComparison.Ordinal);
        Assert.Contains("- Brain aneurysm ", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", card.Detail, StringComparison.Ordinal); // EHR text is escaped before it reaches markdown
        Assert.DoesNotContain("Old stroke", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("ruled out", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(FindingCodes.IntracerebralHemorrhage, outcome.Assessment!.Findings);

        // With data missing as well: one card, both said.
        var both = EngineHarness.Evaluate(
            new HookInput(HookKind.OrderSign, [Res.Draft(Esketamine)], []),
            [.. TrdPatient(), TextOnly("History of intracerebral hemorrhage")],
            new HashSet<PatientDataKind> { PatientDataKind.Allergies });
        var combined = Assert.Single(both.Cards);
        Assert.StartsWith("Some patient data was unavailable", combined.Summary, StringComparison.Ordinal);
        Assert.Contains("hypersensitivity to esketamine", combined.Detail, StringComparison.Ordinal);
        Assert.Contains("History of intracerebral hemorrhage", combined.Detail, StringComparison.Ordinal);

        // The chart alone (patient-view, not on therapy) gets no such card.
        var chart = EngineHarness.Evaluate(HookInput.PatientView, [.. TrdPatient(), TextOnly("History of intracerebral hemorrhage")]);
        Assert.DoesNotContain(chart.Cards, c => c.Source.Topic!.Code == CardTopics.DataUnavailable);
    }

    [Fact]
    public void Missing_medications_on_a_ketamine_order_do_not_claim_the_indication_is_missing()
    {
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Esketamine)], []);
        Resource[] mddOnly = [Res.Patient(), Res.Condition(Res.Icd10Cm, "F33.1", MonthsAgo(6)), Res.BloodPressure(DaysAgo(1), 120, 70)];

        var withMedications = EngineHarness.Evaluate(hook, mddOnly);
        var withoutMedications = EngineHarness.Evaluate(hook, mddOnly, new HashSet<PatientDataKind> { PatientDataKind.MedicationRequests });

        Assert.Equal(CardTopics.IndicationNotDocumented, Assert.Single(withMedications.Cards).Source.Topic!.Code);
        var card = Assert.Single(withoutMedications.Cards);
        Assert.Equal(CardTopics.DataUnavailable, card.Source.Topic!.Code);
        Assert.Contains("drug interactions", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(FindingCodes.IndicationNotDocumented, withoutMedications.Assessment!.Findings);
    }

    [Theory]
    [InlineData(PatientDataKind.Conditions)]
    [InlineData(PatientDataKind.MedicationStatements)]
    public void Patient_view_without_conditions_or_medications_needs_the_data(PatientDataKind missing)
    {
        var outcome = EngineHarness.Evaluate(HookInput.PatientView, TrdPatient(), new HashSet<PatientDataKind> { missing });

        Assert.True(outcome.RequiredDataMissing);
        Assert.Equal([missing], outcome.MissingData);
        Assert.Empty(outcome.Cards);
    }

    [Fact]
    public void Order_without_ketamine_draft_needs_the_medications()
    {
        var hook = new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx("39993", "zolpidem"))], []);

        var outcome = EngineHarness.Evaluate(hook, TrdPatient(), new HashSet<PatientDataKind> { PatientDataKind.MedicationRequests });

        Assert.True(outcome.RequiredDataMissing);
        Assert.Equal([PatientDataKind.MedicationRequests], outcome.MissingData);
    }

    [Fact]
    public void Deceased_patient_gets_no_cards()
    {
        var resources = TrdPatient();
        ((Patient)resources[0]).Deceased = new FhirDateTime(YearsAgo(1));

        var outcome = EngineHarness.Sign([Res.Draft(Esketamine)], [.. resources, Res.Condition(Res.Icd10Cm, "Q28.0")]);

        Assert.Empty(outcome.Cards);
        Assert.True(outcome.Assessment!.Deceased);
    }

    [Fact]
    public void Patient_on_esketamine_gets_safety_cards_instead_of_the_trd_card()
    {
        var onEsketamine = Res.Request(Res.Rx("2201625", "esketamine Nasal Spray [Spravato]"), null, DaysAgo(14), null, MrStatus.Active);
        var outcome = EngineHarness.PatientView([.. TrdPatient(), onEsketamine, Res.Condition(Res.Icd10Cm, "F10.20")]);

        var card = Assert.Single(outcome.Cards);
        Assert.Equal(CardTopics.Precaution, card.Source.Topic!.Code);
        Assert.Contains("Current therapy: esketamine", card.Detail, StringComparison.Ordinal);
        Assert.True(outcome.Assessment!.OnKetamineTherapy);
    }

    [Fact]
    public void Nothing_relevant_gives_no_cards_but_an_assessment()
    {
        var outcome = EngineHarness.PatientView(Res.Patient(), Res.Condition(Res.Icd10Cm, "J45.909"));

        Assert.Empty(outcome.Cards);
        Assert.Equal(TrdStatus.NotApplicable, outcome.Assessment!.TrdStatus);
    }

    private static DateTimeOffset YearsAgo(int years) => Now.AddYears(-years);

    private static readonly CodeableConcept RacemicKetamine = Res.Rx("6130", "ketamine");

    [Fact]
    public void Racemic_ketamine_cards_cite_ketamine_sources_not_the_esketamine_label_as_ketamines()
    {
        var outcome = EngineHarness.Sign(
            [Res.Draft(RacemicKetamine, "ket-1")],
            [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "I71.40", YearsAgo(2)), Res.Condition(Res.Icd10Cm, "Q28.2", YearsAgo(5))]);

        // Aneurysm: a contraindication for ketamine from anesthesia texts [G9], not "label contraindication" of ketamine.
        var aneurysm = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Contraindication);
        Assert.Contains("Racemic ketamine", aneurysm.Detail, StringComparison.Ordinal);
        Assert.Contains("[G9]", aneurysm.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Esketamine nasal spray (Spravato) label contraindication", aneurysm.Detail, StringComparison.Ordinal);

        // AVM: contraindicated by the esketamine label only; for racemic ketamine a caution, on the precaution card.
        var precaution = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Precaution);
        Assert.Contains("arteriovenous malformation", precaution.Summary, StringComparison.Ordinal);
        Assert.Contains("not stated in the retrieved ketamine injection label text", precaution.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Esketamine_cards_say_which_products_label_the_contraindication_comes_from()
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(Res.Icd10Cm, "Q28.2", YearsAgo(5))]);

        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Contraindication);
        Assert.Contains("Esketamine nasal spray (Spravato) label contraindication", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Cyp_inducer_advice_for_esketamine_offers_no_dose_increase()
    {
        var rifampin = Res.Request(Res.Rx("9384", "rifampin"), Res.Dose(600, "mg"), DaysAgo(10), null, MrStatus.Active);

        var esketamine = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), rifampin]);
        var ketamine = EngineHarness.Sign([Res.Draft(RacemicKetamine, "ket-1")], [.. TrdPatient(), rifampin]);

        var forEsketamine = Assert.Single(esketamine.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        Assert.DoesNotContain("higher dose may be needed", forEsketamine.Detail, StringComparison.Ordinal);
        Assert.Contains("fixed 28 mg devices", forEsketamine.Detail, StringComparison.Ordinal);
        var forKetamine = Assert.Single(ketamine.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        Assert.Contains("higher dose may be needed", forKetamine.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Interaction_whose_management_is_none_needed_gives_no_card()
    {
        var lamotrigine = Res.Request(Res.Rx("28439", "lamotrigine"), Res.Dose(100, "mg"), DaysAgo(40), null, MrStatus.Active);

        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), lamotrigine]);

        Assert.DoesNotContain(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        Assert.Contains(FindingCodes.InteractionPrefix + FindingCodes.InteractionClasses.Lamotrigine, outcome.Assessment!.Findings);
    }

    [Fact]
    public void Pregnant_patient_already_on_esketamine_is_told_the_label_says_discontinue()
    {
        var onEsketamine = Res.Request(Esketamine, Res.Dose(56, "mg", 1, 1, Timing.UnitsOfTime.Wk), DaysAgo(60), null, MrStatus.Active);

        var outcome = EngineHarness.PatientView([.. TrdPatient(), onEsketamine, Res.Condition(Res.Icd10Cm, "O09.00", DaysAgo(20))]);

        var card = Assert.Single(outcome.Cards, c => c.Summary.Contains("discontinue", StringComparison.Ordinal));
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Contains("esketamine", card.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Cards, c => c.Summary.Contains("before esketamine", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "I21.4")] // NSTEMI, Acute Myocardial Infarction set
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "I25.2")] // old MI
    [InlineData("http://snomed.info/sct", "84114007")] // heart failure
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "I20.0")] // unstable angina
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "I16.1")] // hypertensive emergency
    public void Severe_cardiovascular_disease_precaution_fires_with_the_evidence_named(string system, string code)
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(system, code, MonthsAgo(6))]);

        Assert.Contains(FindingCodes.SevereCardiovascularDisease, outcome.Assessment!.Findings);
        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Precaution);
        Assert.Contains("severe cardiovascular disease", card.Summary, StringComparison.Ordinal);
        Assert.Contains(code, card.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I20.9")] // angina pectoris, unspecified: in the angina set, but not unstable
    [InlineData("I49.9")] // arrhythmia: in the broad Cardiac Disease set only
    public void Codes_of_the_broader_sets_that_section_9_does_not_name_do_not_fire(string code)
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(Res.Icd10Cm, code, MonthsAgo(6))]);

        Assert.DoesNotContain(FindingCodes.SevereCardiovascularDisease, outcome.Assessment!.Findings);
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "E05.90")] // thyrotoxicosis, unspecified
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "E05.01")] // Graves' disease with storm: in the set, not named in section 9.1
    [InlineData("http://snomed.info/sct", "90739004")] // thyrotoxicosis (disorder)
    public void Hyperthyroidism_precaution_fires_with_the_evidence_named_and_asks_for_thyroid_status(string system, string code)
    {
        var esketamine = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(system, code, MonthsAgo(6))]);
        var ketamine = EngineHarness.Sign([Res.Draft(RacemicKetamine, "ket-1")], [.. TrdPatient(), Res.Condition(system, code, MonthsAgo(6))]);

        Assert.Contains(FindingCodes.Hyperthyroidism, esketamine.Assessment!.Findings);
        var card = Assert.Single(esketamine.Cards, c => c.Source.Topic!.Code == CardTopics.Precaution);
        Assert.Contains("hyperthyroidism", card.Summary, StringComparison.Ordinal);
        Assert.Contains(code, card.Detail, StringComparison.Ordinal);
        Assert.Contains("thyroid status", card.Detail, StringComparison.Ordinal);
        var forKetamine = Assert.Single(ketamine.Cards, c => c.Source.Topic!.Code == CardTopics.Precaution);
        Assert.Contains("Swiss ketamine SmPC contraindicates it in untreated hyperthyroidism", forKetamine.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Radioiodine_procedure_code_of_the_hyperthyroidism_set_does_not_fire()
    {
        // 431588009 "Radionuclide iodine 131 therapy for thyrotoxicosis (procedure)" is in the set (section 9.2) but is no condition.
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(Res.Snomed, "431588009", MonthsAgo(6))]);

        Assert.DoesNotContain(FindingCodes.Hyperthyroidism, outcome.Assessment!.Findings);
    }

    [Theory]
    [InlineData("http://snomed.info/sct", "866041003")] // mother currently breastfeeding
    [InlineData("http://snomed.info/sct", "1260078007")] // maternal breastfeeding
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "Z39.1")] // care of lactating mother
    public void Breastfeeding_precaution_cites_the_esketamine_label(string system, string code)
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(system, code, DaysAgo(30))]);

        Assert.Contains(FindingCodes.Breastfeeding, outcome.Assessment!.Findings);
        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Precaution);
        Assert.Contains("breastfeeding", card.Summary, StringComparison.Ordinal);
        Assert.Contains(code, card.Detail, StringComparison.Ordinal);
        Assert.Contains("breastfeeding is not recommended during treatment", card.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "O92.5")] // suppressed lactation
    [InlineData("http://snomed.info/sct", "169643005")] // feeding intention - breast
    [InlineData("http://snomed.info/sct", "199004")] // decreased lactation
    public void Lactation_codes_of_the_broader_breastfeeding_set_do_not_fire(string system, string code)
    {
        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), Res.Condition(system, code, DaysAgo(30))]);

        Assert.DoesNotContain(FindingCodes.Breastfeeding, outcome.Assessment!.Findings);
    }

    [Theory]
    [InlineData("10582", "levothyroxine")]
    [InlineData("966282", "levothyroxine sodium 0.088 MG Oral Tablet [Synthroid]")] // SBD of the VSAC thyroid set
    [InlineData("10814", "liothyronine")]
    public void Thyroid_hormone_is_a_moderate_interaction_to_monitor(string rxcui, string display)
    {
        var thyroid = Res.Request(Res.Rx(rxcui, display), Res.Dose(1, "tablet"), DaysAgo(40), null, MrStatus.Active);

        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), thyroid]);

        Assert.Contains(FindingCodes.InteractionPrefix + FindingCodes.InteractionClasses.ThyroidHormones, outcome.Assessment!.Findings);
        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        Assert.Contains("Thyroid hormones", card.Detail, StringComparison.Ordinal);
        Assert.Contains("heart rate", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Antihypertensive_gives_no_interaction_finding()
    {
        // Section 3 gives antihypertensives no management ("Info", "-"): no rule in the knowledge base (see Data/README.md).
        var amlodipine = Res.Request(Res.Rx("197361", "amlodipine 5 MG Oral Tablet"), Res.Dose(1, "tablet"), DaysAgo(40), null, MrStatus.Active);

        var outcome = EngineHarness.Sign([Res.Draft(Esketamine, "esk-1")], [.. TrdPatient(), amlodipine]);

        Assert.DoesNotContain(outcome.Assessment!.Findings, f => f.StartsWith(FindingCodes.InteractionPrefix, StringComparison.Ordinal));
    }
}
