namespace KetamineCds.Core.Knowledge;

/// <summary>A drug ingredient the rules know about.</summary>
internal sealed class Ingredient
{
    public required string Name { get; init; }

    /// <summary>RxNorm ingredient RXCUI (null when none was verified).</summary>
    public string? Rxcui { get; init; }

    public required CodeStatus CodeStatus { get; init; }

    public required IngredientRole Role { get; init; }

    /// <summary>SSRI, SNRI, TCA, MAOI, RIMA or other (antidepressants only).</summary>
    public string? AntidepressantClass { get; init; }

    /// <summary>Minimum adequate daily dose in mg (antidepressants; [T13], secondary).</summary>
    public decimal? MinimumDailyDoseMg { get; init; }

    public IReadOnlyList<InteractionClass> InteractionClasses { get; init; } = [];

    public IReadOnlyList<string> Sources { get; init; } = [];

    public bool IsKetamineTherapy => Role is IngredientRole.Ketamine or IngredientRole.Esketamine;

    public bool CountsForTrials => Role is IngredientRole.Antidepressant;

    public override string ToString() => Name;
}
