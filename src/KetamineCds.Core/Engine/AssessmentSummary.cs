namespace KetamineCds.Core.Engine;

/// <summary>The structured result behind the cards (for tests, statistics and logs without patient data).</summary>
public sealed record AssessmentSummary
{
    public required TrdStatus TrdStatus { get; init; }

    /// <summary>Generic ingredient names (lower case) of the failed adequate trials counted for TRD.</summary>
    public IReadOnlyList<string> FailedTrialIngredients { get; init; } = [];

    /// <summary>Maudsley Staging Method total (3-15), when TRD was assessed.</summary>
    public int? MaudsleyScore { get; init; }

    /// <summary>Thase-Rush stage ("I" ... "V"); null when TRD was not assessed or no failed adequate trial puts the patient in a stage.</summary>
    public string? ThaseRushStage { get; init; }

    /// <summary>Finding codes (see <see cref="FindingCodes"/>), e.g. <c>contraindication:arteriovenous-malformation</c>, <c>interaction:benzodiazepines</c>.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];

    /// <summary>The patient is currently on ketamine or esketamine.</summary>
    public bool OnKetamineTherapy { get; init; }

    /// <summary>A draft order in the hook context is ketamine or esketamine.</summary>
    public bool KetamineOrdered { get; init; }

    public bool Deceased { get; init; }

    /// <summary>Item-by-item details, only when <see cref="EvaluationRequest.IncludeDetails"/> was set.</summary>
    public AssessmentDetails? Details { get; init; }
}
