namespace KetamineCds.Core.Assessment;

internal enum MedicationSourceKind
{
    Request,
    Statement,
    Dispense,
    DraftOrder,
}
