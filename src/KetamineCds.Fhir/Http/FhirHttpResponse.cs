using System.Net;

namespace KetamineCds.Fhir.Http;

/// <summary>Status and buffered body of one FHIR GET (after the resilience pipeline's retries).</summary>
internal sealed record FhirHttpResponse(HttpStatusCode Status, ReadOnlyMemory<byte> Body)
{
    public bool IsSuccess => (int)Status is >= 200 and <= 299;
}
