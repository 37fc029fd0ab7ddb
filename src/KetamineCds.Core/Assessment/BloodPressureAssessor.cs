namespace KetamineCds.Core.Assessment;

/// <summary>
/// Latest systolic and diastolic within <see cref="ClinicalOptions.BloodPressureWindowDays"/>; elevated when above the
/// threshold (default 140/90, the label's example of elevated baseline BP, "&gt;140 systolic or &gt;90 diastolic") [L3].
/// </summary>
internal static class BloodPressureAssessor
{
    public static BloodPressureAssessment Assess(ClinicalOptions options, ObservationFacts observations, bool available, DateTimeOffset now)
    {
        var threshold = options.BloodPressure;
        if (!available)
        {
            return new BloodPressureAssessment(BloodPressureStatus.Unknown, null, null, options.BloodPressureWindowDays, threshold.Systolic, threshold.Diastolic);
        }

        var since = now.AddDays(-options.BloodPressureWindowDays);
        var systolic = Latest(observations.Systolic, since, now);
        var diastolic = Latest(observations.Diastolic, since, now);
        if (systolic is null && diastolic is null)
        {
            return new BloodPressureAssessment(BloodPressureStatus.NotRecent, null, null, options.BloodPressureWindowDays, threshold.Systolic, threshold.Diastolic)
            {
                LastSystolic = Latest(observations.Systolic, DateTimeOffset.MinValue, now),
                LastDiastolic = Latest(observations.Diastolic, DateTimeOffset.MinValue, now),
            };
        }

        var elevated = systolic?.Value > threshold.Systolic || diastolic?.Value > threshold.Diastolic;
        return new BloodPressureAssessment(
            elevated ? BloodPressureStatus.Elevated : BloodPressureStatus.Normal,
            systolic,
            diastolic,
            options.BloodPressureWindowDays,
            threshold.Systolic,
            threshold.Diastolic);
    }

    private static ObservationValue? Latest(List<ObservationValue> values, DateTimeOffset since, DateTimeOffset now)
    {
        ObservationValue? latest = null;
        foreach (var value in values)
        {
            if (value.When >= since && value.When <= now && (latest is null || value.When > latest.Value.When))
            {
                latest = value;
            }
        }

        return latest;
    }
}
