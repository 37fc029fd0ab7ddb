namespace KetamineCds.Storage;

/// <summary>One card shown in a hook call: its uuid, <c>source.topic</c> code and indicator. No text, no patient data.</summary>
public sealed record AuditCard(string Uuid, string? Topic, string? Indicator);

/// <summary>
/// The audit record of one hook call (answered or rejected). Holds no patient id, name or resource: the patient is a
/// keyed hash (<see cref="PatientKey"/>).
/// </summary>
public sealed record AuditRecord
{
    public required DateTimeOffset At { get; init; }

    public required string ServiceId { get; init; }

    public string? HookInstance { get; init; }

    public string? Hook { get; init; }

    public string? ClientName { get; init; }

    public string? ClientIssuer { get; init; }

    public string? Tenant { get; init; }

    public string? PatientKey { get; init; }

    /// <summary><c>prefetch</c>, <c>fetched</c>, <c>unavailable</c>, <c>none</c> (no patient data needed), or null (rejected).</summary>
    public string? DataSource { get; init; }

    public int FhirRequests { get; init; }

    public required int Status { get; init; }

    public required double DurationMs { get; init; }

    public IReadOnlyList<AuditCard> Cards { get; init; } = [];
}
