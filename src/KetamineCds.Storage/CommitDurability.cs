namespace KetamineCds.Storage;

/// <summary>How far a commit must reach before it returns.</summary>
public enum CommitDurability
{
    /// <summary>Flushed to disk: survives a crash of the machine (feedback, which the EHR was told is recorded).</summary>
    Flushed,

    /// <summary>
    /// Written, not flushed: survives a crash of the process, not of the machine (the audit trail, written in background
    /// batches whose loss is already bounded and counted). Saves a disk flush per batch, which at one call at a time is
    /// one flush per hook call.
    /// </summary>
    Relaxed,
}
