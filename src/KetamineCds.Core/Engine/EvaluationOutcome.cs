using KetamineCds.Core.Cards;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Engine;

/// <summary>The engine's answer for one hook call.</summary>
public sealed record EvaluationOutcome
{
    /// <summary>Cards to return (may be empty: <c>{"cards": []}</c>).</summary>
    public required IReadOnlyList<CdsCard> Cards { get; init; }

    /// <summary>
    /// True when the data the rules need is missing and no safe answer can be given:
    /// the host answers 412 Precondition Failed with an OperationOutcome naming <see cref="MissingData"/>.
    /// </summary>
    public bool RequiredDataMissing { get; init; }

    /// <summary>The data kinds whose absence made the answer incomplete or impossible.</summary>
    public IReadOnlyList<PatientDataKind> MissingData { get; init; } = [];

    /// <summary>The structured assessment behind the cards (null when nothing was assessed, e.g. 412).</summary>
    public AssessmentSummary? Assessment { get; init; }
}
