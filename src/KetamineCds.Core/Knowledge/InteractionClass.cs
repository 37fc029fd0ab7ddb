namespace KetamineCds.Core.Knowledge;

/// <summary>
/// An interacting drug class (clinical-criteria.md section 3). <see cref="EsketamineManagement"/> replaces
/// <see cref="Management"/> when the therapy is esketamine nasal spray (fixed-dose devices: no dose change is possible);
/// <see cref="ShowCard"/> is false when the source's management is "none needed" (reported, but no card).
/// </summary>
internal sealed record InteractionClass(
    string Id,
    string Display,
    InteractionSeverity Severity,
    string Effect,
    string Management,
    IReadOnlyList<string> Sources,
    string? SeverityNote)
{
    public string? EsketamineManagement { get; init; }

    public bool ShowCard { get; init; } = true;

    /// <summary>The grade's sources are about racemic ketamine only (no esketamine statement was retrieved): a card about esketamine says so in its summary.</summary>
    public bool KetamineOnlyEvidence { get; init; }

    public string ManagementFor(bool esketamine) => esketamine && EsketamineManagement is { } e ? e : Management;
}
