using System.Net;
using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Security;

/// <summary>CORS for browser-based EHRs and sandboxes: allow-listed origins only, on every CDS response (401 and 4xx included).</summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string AllowedOrigin = "https://sandbox.cds-hooks.org";
    private const string OtherOrigin = "https://evil.example.test";

    private readonly TestEhr _ehr = TestEhr.Start();
    private CdsApiFactory _factory = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = new CdsApiFactory(_ehr.ClientConfiguration().Append(new("CdsHooks:CorsAllowedOrigins:0", AllowedOrigin)));
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _ehr.DisposeAsync();
    }

    [Theory]
    [InlineData("/cds-services", "GET")]
    [InlineData("/cds-services/ketamine-trd-screening", "POST")]
    [InlineData("/cds-services/ketamine-trd-screening/feedback", "POST")]
    public async Task Preflight_from_an_allowed_origin_is_answered(string path, string method)
    {
        using var response = await _client.SendAsync(Preflight(path, method, AllowedOrigin), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        var headers = Header(response, "Access-Control-Allow-Headers");
        Assert.Contains("authorization", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("content-type", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_from_another_origin_gets_no_CORS_grant()
    {
        using var response = await _client.SendAsync(Preflight("/cds-services/ketamine-trd-screening", "POST", OtherOrigin), Ct);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_asking_for_an_unlisted_header_gets_no_grant_for_it()
    {
        using var request = Preflight("/cds-services/ketamine-trd-screening", "POST", AllowedOrigin);
        request.Headers.Remove("Access-Control-Request-Headers");
        request.Headers.Add("Access-Control-Request-Headers", "x-custom-secret");
        using var response = await _client.SendAsync(request, Ct);
        Assert.DoesNotContain("x-custom-secret", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unauthorized_POST_carries_the_CORS_headers()
    {
        using var request = CdsCalls.Post(CdsCalls.ServicePath(), null, CdsCalls.PatientViewBody());
        request.Headers.Add("Origin", AllowedOrigin);
        using var response = await _client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Bad_request_POST_carries_the_CORS_headers()
    {
        using var request = CdsCalls.Post(CdsCalls.ServicePath(), _ehr.CreateToken(CdsApiFactory.ServiceAudience(CdsCalls.ServiceId)), "{}");
        request.Headers.Add("Origin", AllowedOrigin);
        using var response = await _client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Successful_POST_and_discovery_carry_the_CORS_headers()
    {
        using var feedback = CdsCalls.Post(CdsCalls.FeedbackPath(), _ehr.CreateToken(CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback"), CdsCalls.FeedbackBody());
        feedback.Headers.Add("Origin", AllowedOrigin);
        using var discovery = CdsCalls.Get("/cds-services", null);
        discovery.Headers.Add("Origin", AllowedOrigin);

        using var feedbackResponse = await _client.SendAsync(feedback, Ct);
        using var discoveryResponse = await _client.SendAsync(discovery, Ct);

        Assert.Equal(HttpStatusCode.OK, feedbackResponse.StatusCode);
        Assert.Equal(AllowedOrigin, Header(feedbackResponse, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, discoveryResponse.StatusCode);
        Assert.Equal(AllowedOrigin, Header(discoveryResponse, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Responses_to_another_origin_carry_no_CORS_grant()
    {
        using var request = CdsCalls.Get("/cds-services", null);
        request.Headers.Add("Origin", OtherOrigin);
        using var response = await _client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string path, string method, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static string Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
