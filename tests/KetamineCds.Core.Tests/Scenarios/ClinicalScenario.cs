using Hl7.Fhir.Model;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>One named, hand-built clinical scenario and what the spec says the engine must answer.</summary>
public sealed record ClinicalScenario
{
    public required string Name { get; init; }

    /// <summary>The spec text / source key the expectation traces to (printed on failure).</summary>
    public required string Spec { get; init; }

    public required HookInput Hook { get; init; }

    public required IReadOnlyList<Resource> Resources { get; init; }

    public IReadOnlySet<PatientDataKind> Unavailable { get; init; } = new HashSet<PatientDataKind>();

    /// <summary>Exact cards (every actual card must match one expected card and vice versa). Null: cards not checked.</summary>
    public IReadOnlyList<ExpectedCard>? Cards { get; init; }

    public TrdStatus? TrdStatus { get; init; }

    /// <summary>Exact set of failed trial ingredients (lower-case generic names), when checked.</summary>
    public IReadOnlyList<string>? FailedIngredients { get; init; }

    public int? Maudsley { get; init; }

    public string? ThaseRush { get; init; }

    public IReadOnlyList<string> Findings { get; init; } = [];

    public IReadOnlyList<string> AbsentFindings { get; init; } = [];

    public bool? OnKetamineTherapy { get; init; }

    public bool? KetamineOrdered { get; init; }

    public bool? Deceased { get; init; }

    public bool? RequiredDataMissing { get; init; }

    public IReadOnlyList<PatientDataKind> MissingData { get; init; } = [];

    public override string ToString() => Name;
}
