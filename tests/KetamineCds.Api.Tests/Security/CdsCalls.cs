using System.Net.Http.Headers;
using System.Text;

namespace KetamineCds.Api.Tests.Security;

/// <summary>Requests to the CDS endpoints as an EHR sends them.</summary>
internal static class CdsCalls
{
    public const string ServiceId = "ketamine-trd-screening";

    public static string ServicePath(string serviceId = ServiceId) => $"/cds-services/{serviceId}";

    public static string FeedbackPath(string serviceId = ServiceId) => $"/cds-services/{serviceId}/feedback";

    /// <summary>A well-formed feedback body (answered 200 by the feedback endpoint).</summary>
    public static string FeedbackBody() =>
        $$$"""{"feedback":[{"card":"{{{Guid.NewGuid()}}}","outcome":"overridden","outcomeTimestamp":"2026-11-27T10:05:31Z"}]}""";

    /// <summary>A minimal valid patient-view request (no prefetch, no fhirServer).</summary>
    public static string PatientViewBody() =>
        $$$"""{"hook":"patient-view","hookInstance":"{{{Guid.NewGuid()}}}","context":{"userId":"Practitioner/example","patientId":"1288992"}}""";

    public static HttpRequestMessage Post(string path, string? token, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public static Task<HttpResponseMessage> FeedbackAsync(this HttpClient client, string? token, string serviceId = ServiceId)
        => client.SendAsync(Post(FeedbackPath(serviceId), token, FeedbackBody()), TestContext.Current.CancellationToken);
}
