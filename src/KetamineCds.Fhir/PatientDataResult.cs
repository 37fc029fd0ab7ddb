using KetamineCds.Core.Model;

namespace KetamineCds.Fhir;

/// <summary>The assembled record plus what could not be obtained.</summary>
public sealed record PatientDataResult
{
    public required PatientRecord Record { get; init; }

    /// <summary>
    /// Data kinds neither prefetched nor retrievable, or only in part (no fhirServer, disallowed server, token without
    /// value, EHR error, unusable response, next page refused or failed, time budget spent). <see cref="Record"/> still
    /// holds whatever part of such a kind was obtained (e.g. the first pages).
    /// </summary>
    public IReadOnlySet<PatientDataKind> Unavailable { get; init; } = new HashSet<PatientDataKind>();

    /// <summary>Resources that failed to parse and were skipped.</summary>
    public int SkippedResources { get; init; }

    /// <summary>Number of FHIR GETs sent to the EHR for this hook call (a GET retried by the resilience pipeline counts once).</summary>
    public int FhirRequests { get; init; }

    /// <summary>Kinds whose data (or part of it, e.g. next pages of a prefetched Bundle) was read from the FHIR server.</summary>
    public IReadOnlySet<PatientDataKind> FetchedFromFhirServer { get; init; } = new HashSet<PatientDataKind>();

    /// <summary>Kinds cut at <see cref="FhirOptions.MaxPages"/> pages: more existed. They are not in <see cref="Unavailable"/>.</summary>
    public IReadOnlySet<PatientDataKind> Truncated { get; init; } = new HashSet<PatientDataKind>();
}
