namespace KetamineCds.Core.Model;

/// <summary>The kinds of patient data the rules read; each one is a prefetch key / fallback query.</summary>
public enum PatientDataKind
{
    Patient,
    Conditions,
    MedicationRequests,
    MedicationStatements,
    MedicationDispenses,
    Observations,
    Allergies,
    Procedures,
}
