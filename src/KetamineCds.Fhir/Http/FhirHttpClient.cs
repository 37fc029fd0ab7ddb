using System.Net.Http.Headers;

namespace KetamineCds.Fhir.Http;

/// <summary>
/// GETs against the EHR's FHIR server through the named client <see cref="Name"/> (standard resilience handler, one
/// pipeline per authority). The bearer token goes on the request message only, never on the shared client.
/// </summary>
internal sealed class FhirHttpClient(IHttpClientFactory factory)
{
    public const string Name = "fhir";

    /// <summary>Largest response body accepted (one search page).</summary>
    public const long MaxResponseBytes = 32L * 1024 * 1024;

    public async Task<FhirHttpResponse> GetAsync(Uri url, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (!string.IsNullOrEmpty(accessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        var client = factory.CreateClient(Name);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new FhirHttpResponse(response.StatusCode, body);
    }
}
