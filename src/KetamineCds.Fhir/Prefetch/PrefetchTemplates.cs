using KetamineCds.Core.Model;

namespace KetamineCds.Fhir.Prefetch;

/// <summary>
/// The one set of prefetch templates: advertised in discovery and run as fallback queries when a key is missing.
/// CDS Hooks 2.0 tokens only (root-level context fields, user tokens); no FHIRPath.
/// </summary>
public static class PrefetchTemplates
{
    /// <summary>
    /// The blood pressure panel: not a concept set itself, but its components (systolic, diastolic) are read by the
    /// rules, and a <c>code</c> search does not match components, so the panel is requested.
    /// </summary>
    public const string BloodPressurePanelCode = "http://loinc.org|85354-9";

    /// <summary>
    /// The blood pressure panel as Synthea codes it: LOINC 55284-4, displayed "Blood Pressure", with components 8480-6
    /// and 8462-4, in every Synthea record of the shared fixtures (106 panels in 14 records). Not in clinical-criteria.md, so
    /// unverified: a query code only. Nothing is decided on it; the rules read the panel's components, whose codes are
    /// verified. Without it, a FHIR server holding such panels returns no blood pressure for the query below.
    /// </summary>
    public const string SyntheaBloodPressurePanelCode = "http://loinc.org|55284-4";

    /// <summary>The panel codes requested beside the knowledge base's observation codes.</summary>
    public static IReadOnlyList<string> BloodPressurePanelCodes { get; } = [BloodPressurePanelCode, SyntheaBloodPressurePanelCode];

    /// <summary>
    /// Generated from the knowledge base (<c>KnowledgeBase.ObservationQueryCodes</c>: PHQ-9 total, systolic BP with its
    /// value set, diastolic BP, pregnancy status) plus <see cref="BloodPressurePanelCodes"/>. A constant because discovery
    /// advertises it; <c>ObservationQueryCodesTests</c> fails when it drifts from the concept sets.
    /// </summary>
    public const string ObservationCodes =
        "http://loinc.org|11378-7,http://loinc.org|44261-6,http://loinc.org|82810-3,http://loinc.org|8459-0,http://loinc.org|8460-8,"
        + "http://loinc.org|8461-6,http://loinc.org|8462-4,http://loinc.org|8480-6,http://loinc.org|89268-7," + BloodPressurePanelCode + ","
        + SyntheaBloodPressurePanelCode;

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
