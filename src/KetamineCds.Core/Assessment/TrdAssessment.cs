using KetamineCds.Core.Engine;

namespace KetamineCds.Core.Assessment;

/// <summary>The TRD assessment: status, the trials behind it and the staging.</summary>
internal sealed record TrdAssessment
{
    public required TrdStatus Status { get; init; }

    /// <summary>Why the status is what it is (one sentence for the card and tests).</summary>
    public required string Reason { get; init; }

    public IReadOnlyList<ConditionEvidence> Depression { get; init; } = [];

    public ConditionEvidence? TrdCode { get; init; }

    public DateTimeOffset? EpisodeStart { get; init; }

    public bool EpisodeStartFromOnset { get; init; }

    public IReadOnlyList<AntidepressantTrial> Trials { get; init; } = [];

    public Staging? Staging { get; init; }

    public bool MddWithSuicidalIdeation { get; init; }

    public IEnumerable<AntidepressantTrial> Failed => Trials.Where(t => t.Failed);

    public IEnumerable<AntidepressantTrial> Unconfirmed => Trials.Where(t => t.Unconfirmed);
}
