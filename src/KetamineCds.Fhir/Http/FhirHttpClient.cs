using System.Diagnostics;
using System.Net.Http.Headers;
using KetamineCds.Fhir.Diagnostics;

namespace KetamineCds.Fhir.Http;

/// <summary>
/// GETs against the EHR's FHIR server through the named client <see cref="Name"/> (standard resilience handler, one
/// pipeline per authority). The bearer token goes on the request message only, never on the shared client.
/// </summary>
internal sealed class FhirHttpClient(IHttpClientFactory factory, FhirTelemetry telemetry)
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
        using var activity = FhirTelemetry.StartRequest(url);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            telemetry.Answered(activity, url, response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new FhirHttpResponse(response.StatusCode, body);
        }
        catch (Exception ex)
        {
            telemetry.Failed(activity, url, ex, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
