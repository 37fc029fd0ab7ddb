using Hl7.Fhir.Model;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;

namespace KetamineCds.Core.Tests.Assessment;

/// <summary>Runs the real exposure builder and TRD assessor (embedded knowledge base) on in-memory resources.</summary>
internal static class TrialTestKit
{
    public static TrdAssessment Trd(params Resource[] resources) => Trd(new ClinicalOptions(), resources);

    public static TrdAssessment Trd(ClinicalOptions options, params Resource[] resources)
    {
        var record = PatientRecord.FromResources(resources);
        var kb = Res.Knowledge;
        var exposures = Exposures(options, record);
        return TrdAssessor.Assess(
            kb,
            options,
            ConditionFacts.Build(kb, record.Conditions),
            exposures,
            ObservationFacts.Build(kb, record.Observations),
            Clock.Now,
            EctFacts.Build(kb, record.Procedures));
    }

    public static List<MedicationExposure> Exposures(ClinicalOptions options, PatientRecord record) =>
        new ExposureBuilder(new MedicationRecognizer(Res.Knowledge), options).Build(record, Clock.Now);

    public static Condition Mdd(DateTimeOffset? onset = null, string code = "F33.1") => Res.Condition(Res.Icd10Cm, code, onset);

    public static CodeableConcept Sertraline50 => Res.Rx("312941", "sertraline 50 MG Oral Tablet");

    public static CodeableConcept Sertraline100 => Res.Rx("312938", "sertraline 100 MG Oral Tablet");

    public static CodeableConcept Citalopram20 => Res.Rx("200371", "citalopram 20 MG Oral Tablet");

    public static CodeableConcept Venlafaxine75 => Res.Rx("313586", "venlafaxine 75 MG Oral Tablet");

    public static CodeableConcept Nortriptyline => Res.Rx("7531", "nortriptyline");

    public static CodeableConcept Phenelzine => Res.Rx("8123", "phenelzine");

    public static Dosage OneTablet => Res.Dose(1, "tablet");
}
