using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>A contraindication or precaution found in the record, with the evidence lines that show it.</summary>
internal sealed record SafetyFinding(FindingText Text, IReadOnlyList<string> Evidence)
{
    public string FindingCode => Text.FindingCode;
}
