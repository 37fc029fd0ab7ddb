namespace KetamineCds.Core.Assessment;

internal enum DurationAdequacy
{
    Adequate,
    TooShort,
    Unknown,
}
