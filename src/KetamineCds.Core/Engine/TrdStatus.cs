namespace KetamineCds.Core.Engine;

public enum TrdStatus
{
    /// <summary>No active MDD (or bipolar disorder present): TRD is not assessed.</summary>
    NotApplicable,

    /// <summary>MDD, but fewer than two failed adequate trials (and not possible).</summary>
    NotMet,

    /// <summary>Two or more trials whose adequacy cannot be confirmed (dose or duration missing).</summary>
    Possible,

    /// <summary>Two or more failed adequate trials of different ingredients, or the TRD concept SNOMED 1153570009.</summary>
    Met,
}
