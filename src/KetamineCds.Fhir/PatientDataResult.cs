using KetamineCds.Core.Model;

namespace KetamineCds.Fhir;

/// <summary>The assembled record plus what could not be obtained.</summary>
public sealed record PatientDataResult
{
    public required PatientRecord Record { get; init; }

    /// <summary>Data kinds neither prefetched nor retrievable (no fhirServer, disallowed server, EHR error, time budget spent).</summary>
    public IReadOnlySet<PatientDataKind> Unavailable { get; init; } = new HashSet<PatientDataKind>();

    /// <summary>Resources that failed to parse and were skipped.</summary>
    public int SkippedResources { get; init; }

    /// <summary>Number of FHIR requests sent to the EHR for this hook call.</summary>
    public int FhirRequests { get; init; }
}
