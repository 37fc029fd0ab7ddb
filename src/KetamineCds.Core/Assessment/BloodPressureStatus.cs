namespace KetamineCds.Core.Assessment;

internal enum BloodPressureStatus
{
    /// <summary>Latest reading within the window is at or below the threshold.</summary>
    Normal,

    /// <summary>Latest systolic or diastolic within the window is above the threshold.</summary>
    Elevated,

    /// <summary>No blood pressure within the window.</summary>
    NotRecent,

    /// <summary>Observations could not be obtained.</summary>
    Unknown,
}
