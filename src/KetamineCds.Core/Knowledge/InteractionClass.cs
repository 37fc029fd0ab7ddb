namespace KetamineCds.Core.Knowledge;

/// <summary>An interacting drug class (clinical-criteria.md section 3).</summary>
internal sealed record InteractionClass(
    string Id,
    string Display,
    InteractionSeverity Severity,
    string Effect,
    string Management,
    IReadOnlyList<string> Sources,
    string? SeverityNote);
