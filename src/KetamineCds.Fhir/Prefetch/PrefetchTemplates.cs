using KetamineCds.Core.Model;

namespace KetamineCds.Fhir.Prefetch;

/// <summary>
/// The one set of prefetch templates: advertised in discovery and run as fallback queries when a key is missing.
/// CDS Hooks 2.0 tokens only (root-level context fields, user tokens); no FHIRPath.
/// </summary>
public static class PrefetchTemplates
{
    /// <summary>LOINC codes the observation rules read: PHQ-9 total, PHQ-9 modified for teens, BP panel, systolic, diastolic, pregnancy status.</summary>
    public const string ObservationCodes =
        "http://loinc.org|44261-6,http://loinc.org|89204-2,http://loinc.org|85354-9,http://loinc.org|8480-6,http://loinc.org|8462-4,http://loinc.org|82810-3";

    public static IReadOnlyList<PrefetchTemplate> All { get; } =
    [
        new("patient", "Patient/{{context.patientId}}", PatientDataKind.Patient),
        new("conditions", "Condition?patient={{context.patientId}}", PatientDataKind.Conditions),
        new("medicationRequests", "MedicationRequest?patient={{context.patientId}}", PatientDataKind.MedicationRequests),
        new("medicationStatements", "MedicationStatement?patient={{context.patientId}}", PatientDataKind.MedicationStatements),
        new("medicationDispenses", "MedicationDispense?patient={{context.patientId}}", PatientDataKind.MedicationDispenses),
        new("observations", "Observation?patient={{context.patientId}}&code=" + ObservationCodes + "&_sort=-date", PatientDataKind.Observations),
        new("allergies", "AllergyIntolerance?patient={{context.patientId}}", PatientDataKind.Allergies),
        new("procedures", "Procedure?patient={{context.patientId}}", PatientDataKind.Procedures),
    ];
}
