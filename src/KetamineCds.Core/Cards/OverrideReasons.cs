namespace KetamineCds.Core.Cards;

/// <summary>Override reasons offered on contraindication cards (system <c>urn:ketamine-cds:override-reason</c>).</summary>
internal static class OverrideReasons
{
    public const string System = "urn:ketamine-cds:override-reason";

    public static IReadOnlyList<CdsCoding> Contraindication { get; } =
    [
        new() { System = System, Code = "benefit-outweighs-risk", Display = "Benefit outweighs risk (specialist decision documented)" },
        new() { System = System, Code = "condition-not-current", Display = "Condition resolved, ruled out or recorded in error" },
        new() { System = System, Code = "allergy-not-confirmed", Display = "Hypersensitivity not confirmed" },
    ];
}
