using System.Globalization;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// The latest blood pressure in the window and how it compares with the threshold. <see cref="LastSystolic"/> and
/// <see cref="LastDiastolic"/> are the latest readings ever recorded (also before the window), so that a "no recent BP"
/// card can still show the last known reading and its date.
/// </summary>
internal sealed record BloodPressureAssessment(BloodPressureStatus Status, ObservationValue? Systolic, ObservationValue? Diastolic, int WindowDays, int ThresholdSystolic, int ThresholdDiastolic)
{
    public ObservationValue? LastSystolic { get; init; }

    public ObservationValue? LastDiastolic { get; init; }

    public string Reading => Format(Systolic, Diastolic);

    public DateTimeOffset? When => Latest(Systolic, Diastolic);

    /// <summary>The last known reading (any age), e.g. <c>150/95 mmHg</c>, or null when none was ever recorded.</summary>
    public string? LastReading => LastSystolic is null && LastDiastolic is null ? null : Format(LastSystolic, LastDiastolic);

    public DateTimeOffset? LastWhen => Latest(LastSystolic, LastDiastolic);

    public string Threshold => $"{ThresholdSystolic}/{ThresholdDiastolic}";

    public bool SystolicElevated => Systolic?.Value > ThresholdSystolic;

    public bool DiastolicElevated => Diastolic?.Value > ThresholdDiastolic;

    /// <summary>Names the part that is elevated, e.g. "diastolic 95 above 90" or "systolic 150 above 140 and diastolic 95 above 90".</summary>
    public string ElevatedPart
    {
        get
        {
            var systolic = SystolicElevated ? $"systolic {Number(Systolic)} above {ThresholdSystolic}" : null;
            var diastolic = DiastolicElevated ? $"diastolic {Number(Diastolic)} above {ThresholdDiastolic}" : null;
            return systolic is not null && diastolic is not null ? systolic + " and " + diastolic : systolic ?? diastolic ?? "not elevated";
        }
    }

    private static string Number(ObservationValue? value) => value is { } v ? v.Value.ToString("0", CultureInfo.InvariantCulture) : "?";

    private static string Format(ObservationValue? systolic, ObservationValue? diastolic) => $"{Number(systolic)}/{Number(diastolic)} mmHg";

    private static DateTimeOffset? Latest(ObservationValue? systolic, ObservationValue? diastolic) =>
        systolic?.When > diastolic?.When || diastolic is null ? systolic?.When : diastolic?.When;
}
