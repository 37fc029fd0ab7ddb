using System.Globalization;
using System.Net;
using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Security;

/// <summary>The limits only the real server enforces (the in-memory test server does not): header size, body size, no Server header.</summary>
public sealed class KestrelLimitsTests : IAsyncLifetime
{
    private const int BodyLimit = 4096;

    private readonly TestEhr _ehr = TestEhr.Start();
    private CdsApiFactory _factory = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    public ValueTask InitializeAsync()
    {
        _factory = new CdsApiFactory(_ehr.ClientConfiguration().Append(new("CdsHooks:MaxRequestBodyBytes", BodyLimit.ToString(CultureInfo.InvariantCulture))));
        _factory.UseKestrel(0);
        _factory.StartServer();
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _ehr.DisposeAsync();
    }

    [Fact]
    public async Task Valid_call_over_a_real_socket_succeeds_without_a_Server_header()
    {
        Assert.NotNull(_client.BaseAddress);
        Assert.False(_client.BaseAddress.IsDefaultPort, "expected a real socket on a dynamic port");
        using var response = await _client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.Server);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Oversized_headers_get_431()
    {
        using var request = CdsCalls.Post(CdsCalls.FeedbackPath(), _ehr.CreateToken(FeedbackAudience), CdsCalls.FeedbackBody());
        request.Headers.Add("X-Padding", new string('a', 70 * 1024));

        using var response = await _client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_body_gets_413()
    {
        var body = $$"""{"feedback":[],"padding":"{{new string('x', BodyLimit * 4)}}"}""";
        using var response = await _client.SendAsync(CdsCalls.Post(CdsCalls.FeedbackPath(), _ehr.CreateToken(FeedbackAudience), body), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
