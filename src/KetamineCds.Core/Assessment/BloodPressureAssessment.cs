namespace KetamineCds.Core.Assessment;

internal sealed record BloodPressureAssessment(BloodPressureStatus Status, ObservationValue? Systolic, ObservationValue? Diastolic, int WindowDays, int ThresholdSystolic, int ThresholdDiastolic)
{
    public string Reading =>
        $"{(Systolic is { } s ? s.Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "?")}/{(Diastolic is { } d ? d.Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "?")} mmHg";

    public DateTimeOffset? When => Systolic?.When > Diastolic?.When || Diastolic is null ? Systolic?.When : Diastolic?.When;

    public string Threshold => $"{ThresholdSystolic}/{ThresholdDiastolic}";
}
