namespace KetamineCds.Core.Knowledge;

/// <summary>What the cards say about a finding: a short display, the source's guidance and the source keys.</summary>
internal sealed record FindingText(string FindingCode, string Display, string Guidance, IReadOnlyList<string> Sources);
