namespace KetamineCds.Core.Knowledge;

/// <summary>A source key from clinical-criteria.md section 8 (e.g. <c>L1</c>) with its label and URL.</summary>
internal sealed record Citation(string Key, string Label, string? Url);
