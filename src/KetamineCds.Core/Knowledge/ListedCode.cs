namespace KetamineCds.Core.Knowledge;

/// <summary>
/// A code listed explicitly in a concept set, with its verification status as the research notes give it (e.g. the ECT
/// codes of clinical-criteria.md 9.3: SNOMED CT "V for the meaning; U for current use", ICD-10-PCS and CPT V-weak).
/// </summary>
/// <param name="Describe">Card form, e.g. <c>CPT 90870</c>.</param>
/// <param name="Display">The code's display in the data file.</param>
/// <param name="Status">V or V-weak (unverified codes never match and are not listed here).</param>
/// <param name="StatusNote">What the status rests on, when the data file says (e.g. "V-weak: web page only").</param>
/// <param name="Source">Source key, e.g. <c>W-90870</c>.</param>
internal sealed record ListedCode(string Describe, string? Display, CodeStatus Status, string? StatusNote, string Source)
{
    /// <summary>Status for card text: the note when there is one, else <c>V</c> / <c>V-weak</c>.</summary>
    public string StatusText => StatusNote ?? (Status == CodeStatus.Verified ? "V" : "V-weak");
}
