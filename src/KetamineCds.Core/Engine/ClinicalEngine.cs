using KetamineCds.Core.Assessment;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Engine;

/// <summary>
/// The clinical engine: reads the record, assesses TRD, safety, blood pressure and interactions, and composes cards.
/// Pure and thread-safe: all state is immutable and built at construction; bad FHIR data is skipped, not thrown.
/// </summary>
internal sealed class ClinicalEngine : IClinicalEngine
{
    private static readonly PatientDataKind[] MedicationKinds =
        [PatientDataKind.MedicationRequests, PatientDataKind.MedicationStatements, PatientDataKind.MedicationDispenses];

    private readonly KnowledgeBase _knowledge;
    private readonly ClinicalOptions _options;
    private readonly MedicationRecognizer _recognizer;
    private readonly ExposureBuilder _exposures;
    private readonly CardFactory _cards;

    public ClinicalEngine(KnowledgeBase knowledge, ClinicalOptions options)
    {
        _knowledge = knowledge;
        _options = options;
        _recognizer = new MedicationRecognizer(knowledge);
        _exposures = new ExposureBuilder(_recognizer, options);
        _cards = new CardFactory(knowledge);
    }

    /// <summary>
    /// Patient-view always reads the record. An order hook needs it only when a draft order is ketamine/esketamine or a
    /// drug in an interaction class (then it matters whether the patient is on ketamine/esketamine). A draft that is not
    /// recognised at all cannot be either, so it does not make the service read patient data, except one whose
    /// <c>medicationReference</c> resolves neither in the draft Bundle nor as contained: its drug may be a Medication of
    /// the record, so the record is read.
    /// </summary>
    public bool RequiresPatientData(HookInput hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (hook.Kind == HookKind.PatientView)
        {
            return true;
        }

        // The start date of a draft does not affect what it is; any instant will do here.
        var drafts = DraftOrderReader.Read(hook, PatientRecord.Empty, _recognizer, DateTimeOffset.UnixEpoch);
        return drafts.Any(d => d.IsKetamineTherapy || (!d.Medication.IsKnown && d.Resource.Medication is Hl7.Fhir.Model.ResourceReference))
            || InteractionAssessor.Assess(drafts.SelectMany(d => d.Exposures)).Count > 0;
    }

    public EvaluationOutcome Evaluate(EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hook = request.Hook;
        var record = request.Patient;
        var now = request.Now;
        var unavailable = request.UnavailableData;

        if (IsDeceased(record.Patient))
        {
            return new EvaluationOutcome
            {
                Cards = [],
                Assessment = new AssessmentSummary { TrdStatus = TrdStatus.NotApplicable, Deceased = true },
            };
        }

        var drafts = hook.Kind == HookKind.PatientView ? [] : DraftOrderReader.Read(hook, record, _recognizer, now);
        var ketamineDrafts = drafts.Where(d => d.IsKetamineTherapy).ToList();
        var missingMedications = MedicationKinds.Where(unavailable.Contains).ToList();

        if (hook.Kind == HookKind.PatientView && (unavailable.Contains(PatientDataKind.Conditions) || missingMedications.Count > 0))
        {
            var missing = new List<PatientDataKind>();
            if (unavailable.Contains(PatientDataKind.Conditions))
            {
                missing.Add(PatientDataKind.Conditions);
            }

            missing.AddRange(missingMedications);
            return new EvaluationOutcome { Cards = [], RequiredDataMissing = true, MissingData = missing };
        }

        if (hook.Kind != HookKind.PatientView && ketamineDrafts.Count == 0 && missingMedications.Count > 0)
        {
            return new EvaluationOutcome { Cards = [], RequiredDataMissing = true, MissingData = missingMedications };
        }

        var assessment = Assess(request, record, now, unavailable, ketamineDrafts, drafts);
        var cards = new List<CdsCard>();
        var findings = new List<string>();
        findings.AddRange(assessment.Safety.Contraindications.Select(c => c.FindingCode));
        findings.AddRange(assessment.Safety.Precautions.Select(p => p.FindingCode));
        switch (assessment.BloodPressure.Status)
        {
            case BloodPressureStatus.Elevated:
                findings.Add(FindingCodes.BloodPressureElevated);
                break;
            case BloodPressureStatus.NotRecent:
                findings.Add(FindingCodes.BloodPressureNotRecent);
                break;
        }

        var interactions = assessment.Interactions;
        if (hook.Kind == HookKind.PatientView)
        {
            if (assessment.CurrentTherapy.Count > 0)
            {
                AddSafetyCards(cards, assessment, interactions);
            }
            else if (TrdCardComposer.Compose(_cards, assessment) is { } trdCard)
            {
                cards.Add(trdCard);
            }
        }
        else if (ketamineDrafts.Count > 0)
        {
            AddSafetyCards(cards, assessment, interactions);
            if (assessment.IndicationNotDocumented)
            {
                cards.Add(SafetyCardComposer.IndicationNotDocumented(_cards, assessment));
                findings.Add(FindingCodes.IndicationNotDocumented);
            }

            var missing = Enum.GetValues<PatientDataKind>().Where(unavailable.Contains).ToList();
            if (missing.Count > 0 || assessment.ConditionsWithoutStandardCode.Count > 0)
            {
                cards.Add(SafetyCardComposer.DataUnavailable(_cards, assessment, missing));
            }
        }
        else if (assessment.CurrentTherapy.Count > 0)
        {
            // An interacting drug ordered while the patient is on ketamine/esketamine: name the drafts only.
            interactions = InteractionAssessor.Assess(drafts.SelectMany(d => d.Exposures));
            cards.AddRange(InteractionCardComposer.Compose(_cards, assessment, interactions));
        }
        else
        {
            interactions = [];
        }

        findings.AddRange(interactions.Select(i => FindingCodes.InteractionPrefix + i.Class.Id));
        return new EvaluationOutcome
        {
            Cards = cards,
            MissingData = Enum.GetValues<PatientDataKind>().Where(unavailable.Contains).ToList(),
            Assessment = new AssessmentSummary
            {
                TrdStatus = assessment.Trd.Status,
                FailedTrialIngredients = assessment.Trd.Failed.Select(t => t.Ingredient.Name).ToList(),
                MaudsleyScore = assessment.Trd.Staging?.MaudsleyScore,
                ThaseRushStage = assessment.Trd.Staging?.ThaseRushStage,
                Findings = findings.Distinct(StringComparer.Ordinal).ToList(),
                OnKetamineTherapy = assessment.CurrentTherapy.Count > 0,
                KetamineOrdered = ketamineDrafts.Count > 0,
                Deceased = false,
                Details = request.IncludeDetails
                    ? AssessmentDetails.Build(_knowledge, assessment, ObservationFacts.Build(_knowledge, record.Observations))
                    : null,
            },
        };
    }

    private void AddSafetyCards(List<CdsCard> cards, PatientAssessment assessment, IReadOnlyList<InteractionFinding> interactions)
    {
        cards.AddRange(SafetyCardComposer.Contraindications(_cards, assessment));
        cards.AddRange(SafetyCardComposer.WhileOnTherapy(_cards, assessment));
        if (SafetyCardComposer.Precautions(_cards, assessment) is { } precaution)
        {
            cards.Add(precaution);
        }

        cards.AddRange(InteractionCardComposer.Compose(_cards, assessment, interactions));
        if (SafetyCardComposer.BloodPressure(_cards, assessment) is { } bp)
        {
            cards.Add(bp);
        }
    }

    private PatientAssessment Assess(
        EvaluationRequest request,
        PatientRecord record,
        DateTimeOffset now,
        IReadOnlySet<PatientDataKind> unavailable,
        List<DraftOrder> ketamineDrafts,
        List<DraftOrder> drafts)
    {
        var conditions = ConditionFacts.Build(_knowledge, record.Conditions);
        var observations = ObservationFacts.Build(_knowledge, record.Observations);
        var exposures = _exposures.Build(record, now);
        var current = exposures.Where(e => e.IsCurrent).ToList();
        var therapy = current.Where(e => e.Ingredient.IsKetamineTherapy).ToList();

        var trd = unavailable.Contains(PatientDataKind.Conditions)
            ? new TrdAssessment { Status = TrdStatus.NotApplicable, Reason = "conditions could not be obtained" }
            : TrdAssessor.Assess(_knowledge, _options, conditions, exposures, observations, now, EctOf(record, unavailable));
        var ingredients = (ketamineDrafts.Count > 0
            ? ketamineDrafts.SelectMany(d => d.Medication.Components).Select(c => c.Ingredient).Where(i => i.IsKetamineTherapy)
            : therapy.Select(e => e.Ingredient)).ToList();
        var involvesEsketamine = ingredients.Exists(i => i.Role == IngredientRole.Esketamine);
        var racemicOnly = ingredients.Count > 0 && ingredients.TrueForAll(i => i.Role == IngredientRole.Ketamine);
        var safety = SafetyAssessor.Assess(_knowledge, _options, record, conditions, observations, _recognizer, now, racemicOnly);
        var bp = BloodPressureAssessor.Assess(_options, observations, !unavailable.Contains(PatientDataKind.Observations), now);

        // Interactions: the patient's current medications plus the other drafts being ordered with ketamine/esketamine.
        var otherDrafts = drafts.Where(d => !d.IsKetamineTherapy).SelectMany(d => d.Exposures);
        var interactions = InteractionAssessor.Assess(current.Concat(ketamineDrafts.Count > 0 ? otherDrafts : []));

        // Without conditions, medications or observations (PHQ-9) the indication cannot be judged: the data-unavailable card says so.
        var indicationMissing = ketamineDrafts.Count > 0
            && !unavailable.Contains(PatientDataKind.Conditions)
            && !unavailable.Contains(PatientDataKind.Observations)
            && !MedicationKinds.Any(unavailable.Contains)
            && trd.Status is not (TrdStatus.Met or TrdStatus.Possible)
            && !trd.MddWithSuicidalIdeation;

        return new PatientAssessment
        {
            Trd = trd,
            Safety = safety,
            BloodPressure = bp,
            Interactions = interactions,
            CurrentTherapy = therapy,
            KetamineDrafts = ketamineDrafts,
            TherapyName = TherapyName(ingredients),
            InvolvesEsketamine = involvesEsketamine,
            RacemicKetamineOnly = racemicOnly,
            ConditionsWithoutStandardCode = conditions.WithoutStandardCode,
            IndicationNotDocumented = indicationMissing,
            Unavailable = request.UnavailableData,
            PatientId = request.Hook.PatientId ?? record.Patient?.Id,
        };
    }

    private EctFacts EctOf(PatientRecord record, IReadOnlySet<PatientDataKind> unavailable) =>
        unavailable.Contains(PatientDataKind.Procedures) ? EctFacts.Unavailable : EctFacts.Build(_knowledge, record.Procedures);

    private static string TherapyName(IEnumerable<Ingredient> ingredients)
    {
        var names = ingredients.Select(i => i.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 1 ? names[0] : "ketamine/esketamine";
    }

    private static bool IsDeceased(Hl7.Fhir.Model.Patient? patient) => patient?.Deceased switch
    {
        Hl7.Fhir.Model.FhirBoolean b => b.Value == true,
        Hl7.Fhir.Model.FhirDateTime => true,
        _ => false,
    };
}
