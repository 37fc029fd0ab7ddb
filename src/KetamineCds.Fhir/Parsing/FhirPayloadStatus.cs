namespace KetamineCds.Fhir.Parsing;

internal enum FhirPayloadStatus
{
    /// <summary>A resource or Bundle whose usable content is in <see cref="FhirPayload.Resources"/>.</summary>
    Usable,

    /// <summary>An OperationOutcome in place of data: the server could not produce it.</summary>
    OperationOutcome,

    /// <summary>Not JSON, not a FHIR resource, or a resource that failed to parse.</summary>
    Unreadable,
}
