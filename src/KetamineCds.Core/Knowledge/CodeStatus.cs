namespace KetamineCds.Core.Knowledge;

/// <summary>How well a code is verified (clinical-criteria.md: V, V-weak, U).</summary>
internal enum CodeStatus
{
    Verified,
    VerifiedWeak,

    /// <summary>Not verified: kept in the data for the record, never used to match patient data.</summary>
    Unverified,
}
