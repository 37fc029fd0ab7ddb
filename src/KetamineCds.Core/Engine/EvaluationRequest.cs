using KetamineCds.Core.Model;

namespace KetamineCds.Core.Engine;

/// <summary>Everything one evaluation needs.</summary>
/// <param name="Hook">The hook that fired and its draft orders.</param>
/// <param name="Patient">The patient's record (possibly partial, see <see cref="UnavailableData"/>).</param>
/// <param name="Now">The evaluation instant (from <see cref="TimeProvider"/>, never the wall clock directly).</param>
public sealed record EvaluationRequest(HookInput Hook, PatientRecord Patient, DateTimeOffset Now)
{
    /// <summary>Kinds of data that could not be obtained (no prefetch, EHR down, time budget spent).</summary>
    public IReadOnlySet<PatientDataKind> UnavailableData { get; init; } = new HashSet<PatientDataKind>();

    /// <summary>Also fill <see cref="AssessmentSummary.Details"/> (the assessment app; hooks leave it off).</summary>
    public bool IncludeDetails { get; init; }
}
