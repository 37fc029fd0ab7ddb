using KetamineCds.Core.Model;

namespace KetamineCds.Fhir.Prefetch;

/// <summary>One prefetch key: its CDS Hooks 2.0 template and the data kind it yields.</summary>
public sealed record PrefetchTemplate(string Key, string Template, PatientDataKind Kind);
