namespace KetamineCds.Core.Assessment;

/// <summary>
/// Maudsley Staging Method (MSM) score and Thase-Rush stage from what the record holds [T12] [T11] [T8]. The Thase-Rush
/// stage is null (not staged) without a failed adequate trial: the method has stages I to V only.
/// </summary>
internal sealed record Staging(int MaudsleyScore, string MaudsleyBand, IReadOnlyList<StagingItem> MaudsleyItems, string? ThaseRushStage, string ThaseRushBasis)
{
    /// <summary>Source keys of the procedure codes the staging text names (e.g. <c>W-90870</c> for an ECT coded CPT 90870).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}
