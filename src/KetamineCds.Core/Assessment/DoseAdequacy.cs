namespace KetamineCds.Core.Assessment;

internal enum DoseAdequacy
{
    Adequate,
    BelowMinimum,
    Unknown,
}
