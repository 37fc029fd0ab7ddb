using System.ComponentModel.DataAnnotations;

namespace KetamineCds.Core;

/// <summary>Clinical thresholds and windows (configuration section <c>Clinical</c>).</summary>
public sealed class ClinicalOptions
{
    public const string SectionName = "Clinical";

    /// <summary>Minimum weeks at or above the minimum dose for a trial to be adequate.</summary>
    [Range(1, 52)]
    public int MinimumTrialWeeks { get; set; } = 6;

    /// <summary>Look-back for the current episode when the depression condition has no onset.</summary>
    [Range(1, 240)]
    public int EpisodeLookbackMonths { get; set; } = 24;

    /// <summary>An order or statement counts as current when its latest activity is within this many days.</summary>
    [Range(1, 3650)]
    public int CurrentMedicationWindowDays { get; set; } = 120;

    /// <summary>
    /// An active order or statement without a known end (no end date, supply or duration) stays current for this many
    /// days after its latest activity: chronic medicines are often ordered once and kept active, and an interaction
    /// check must not drop an active benzodiazepine because its order is five months old. Older than this, an "active"
    /// record is more likely a list nobody updated. No retrieved source sets either window (default 365 days).
    /// </summary>
    [Range(1, 3650)]
    public int OpenEndedActiveDays { get; set; } = 365;

    /// <summary>Blood pressure threshold (the label's example of elevated baseline BP).</summary>
    public BloodPressureThreshold BloodPressure { get; set; } = new();

    /// <summary>A blood pressure older than this many days is not "recent".</summary>
    [Range(1, 365)]
    public int BloodPressureWindowDays { get; set; } = 30;

    /// <summary>PHQ-9 total at or above which a trial is considered not to have worked.</summary>
    [Range(0, 27)]
    public int Phq9NonResponseThreshold { get; set; } = 10;

    /// <summary>
    /// A switch to (or augmentation with) another drug shows that an adequate trial failed only when it started within
    /// this many days of the trial's last known dose. After a longer gap without the drug the patient may have remitted
    /// and relapsed, so the later start is not claimed as failure evidence. No retrieved source sets this gap: it is a
    /// clinical choice for the organisation (default 90 days).
    /// </summary>
    [Range(0, 730)]
    public int MaximumSwitchGapDays { get; set; } = 90;
}

public sealed class BloodPressureThreshold
{
    [Range(60, 300)]
    public int Systolic { get; set; } = 140;

    [Range(30, 200)]
    public int Diastolic { get; set; } = 90;
}
