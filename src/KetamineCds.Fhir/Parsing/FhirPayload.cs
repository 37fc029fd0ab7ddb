using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>One prefetch value or one response body, parsed leniently.</summary>
internal sealed record FhirPayload
{
    public required FhirPayloadStatus Status { get; init; }

    /// <summary>The parsed resource; for a Bundle, a Bundle holding only the entries that parsed (fullUrls kept).</summary>
    public IReadOnlyList<Resource> Resources { get; init; } = [];

    /// <summary>Resources (or Bundle entries) that failed to parse and were skipped.</summary>
    public int Skipped { get; init; }

    public bool IsBundle { get; init; }

    /// <summary>The Bundle's <c>link[relation=next].url</c>, as written.</summary>
    public string? NextLink { get; init; }

    /// <summary>OperationOutcome entries inside a Bundle (any severity).</summary>
    public int OutcomeEntries { get; init; }

    /// <summary>OperationOutcome entries inside a Bundle carrying an error or fatal issue (or no issue at all).</summary>
    public int ErrorOutcomeEntries { get; init; }

    public static FhirPayload Unreadable { get; } = new() { Status = FhirPayloadStatus.Unreadable, Skipped = 1 };

    public static FhirPayload Outcome { get; } = new() { Status = FhirPayloadStatus.OperationOutcome };
}
