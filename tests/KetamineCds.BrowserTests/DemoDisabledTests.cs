using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KetamineCds.Api.Demo;

namespace KetamineCds.BrowserTests;

/// <summary>With <c>Demo:Enabled</c> off (the default outside Development) nothing of the demo is served or trusted.</summary>
public sealed class DemoDisabledTests : IAsyncLifetime
{
    private readonly DemoServer _server = DemoServer.WithDemoDisabled();

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("/demo")]
    [InlineData("/demo/api/patients")]
    [InlineData("/demo/fhir/.well-known/smart-configuration")]
    [InlineData("/demo/fhir/metadata")]
    [InlineData("/demo/oauth/authorize?response_type=code")]
    public async Task Demo_paths_are_404(string path)
    {
        using var response = await _server.Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_as_the_demo_issuer_is_refused()
    {
        using var keys = new DemoKeys();
        var audience = $"{_server.BaseUrl}/cds-services/ketamine-trd-screening";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/ketamine-trd-screening")
        {
            Content = new StringContent("""{"hook":"patient-view","hookInstance":"d1","context":{"userId":"Practitioner/x","patientId":"p"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.SignHookToken($"{_server.BaseUrl}/demo", audience, DateTimeOffset.UtcNow));
        using var response = await _server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_page_is_still_served()
    {
        using var response = await _server.Http.GetAsync("/admin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
