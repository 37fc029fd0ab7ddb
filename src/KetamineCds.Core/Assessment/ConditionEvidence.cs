using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>A Condition that matched a concept set.</summary>
/// <param name="Set">The concept set matched.</param>
/// <param name="Text">The condition as the record names it, escaped for card markdown.</param>
/// <param name="Code">The matching code in card form, e.g. <c>ICD-10-CM F33.2</c>, escaped for card markdown.</param>
/// <param name="CodeKey">The matching code's index key (for severity lookups).</param>
/// <param name="Onset">Onset (onset[x]) when known.</param>
/// <param name="Active">Clinical status active / recurrence / relapse (or not stated).</param>
internal sealed record ConditionEvidence(ConceptSet Set, string Text, string Code, string CodeKey, DateTimeOffset? Onset, bool Active);
