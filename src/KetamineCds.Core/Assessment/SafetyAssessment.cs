namespace KetamineCds.Core.Assessment;

internal sealed record SafetyAssessment(IReadOnlyList<SafetyFinding> Contraindications, IReadOnlyList<SafetyFinding> Precautions);
