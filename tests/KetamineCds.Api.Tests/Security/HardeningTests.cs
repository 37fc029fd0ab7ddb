using System.Net;
using System.Text;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Fhir;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Api.Tests.Security;

/// <summary>Body limits, request timeouts, security headers, and no internals in any response.</summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private const int BodyLimit = 2048;

    private readonly TestEhr _ehr = TestEhr.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ServiceAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _ehr.DisposeAsync();

    [Fact]
    public async Task Oversized_body_gets_413_whether_buffered_or_streamed()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        var body = $$"""{"hook":"patient-view","padding":"{{new string('x', BodyLimit * 2)}}"}""";

        using var declared = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), _ehr.CreateToken(ServiceAudience), body), Ct);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, CdsCalls.ServicePath())
        {
            Content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.Authorization = new("Bearer", _ehr.CreateToken(ServiceAudience));
        using var streamed = await client.SendAsync(chunked, Ct);

        using var feedback = await client.SendAsync(
            CdsCalls.Post(CdsCalls.FeedbackPath(), _ehr.CreateToken(ServiceAudience + "/feedback"), body), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, feedback.StatusCode);
    }

    [Fact]
    public async Task Body_just_under_the_limit_is_read()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        var body = CdsCalls.FeedbackBody();
        body = body[..^1] + $$""","padding":"{{new string('x', BodyLimit - body.Length - 20)}}"}""";
        Assert.InRange(Encoding.UTF8.GetByteCount(body), BodyLimit - 20, BodyLimit);

        using var response = await client.SendAsync(CdsCalls.Post(CdsCalls.FeedbackPath(), _ehr.CreateToken(ServiceAudience), body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Failing_endpoint_answers_500_without_internals()
    {
        await using var factory = Factory(services => services.AddSingleton<IPatientDataProvider, TestPatientDataProviders.Throwing>());
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), _ehr.CreateToken(ServiceAudience), CdsCalls.PatientViewBody()), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("internal-detail-7f3a", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("KetamineCds.", body, StringComparison.Ordinal);
        AssertSecurityHeaders(response);

        // The exception is in the log for the operator (this proves the provider really threw).
        Assert.Contains(factory.Logs.Entries, e => e.Exception?.Message == TestPatientDataProviders.InternalDetail);
    }

    [Fact]
    public async Task Malformed_JSON_answers_400_without_parser_internals()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), _ehr.CreateToken(ServiceAudience), "{\"hook\": [1, 2,"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("JsonReaderException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_that_exceeds_the_timeout_is_ended_with_503()
    {
        await using var factory = Factory(
            services => services.AddSingleton<IPatientDataProvider, TestPatientDataProviders.Hanging>(),
            new KeyValuePair<string, string?>("CdsHooks:RequestTimeout", "00:00:00.500"));
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        // The data provider never answers, and this is the only call: only the request timeout can end it, with a 503.
        using var response = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), _ehr.CreateToken(ServiceAudience), CdsCalls.PatientViewBody()), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("could not answer in time", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/cds-services", false)]
    [InlineData("POST", "/cds-services/ketamine-trd-screening", false)]
    [InlineData("POST", "/cds-services/ketamine-trd-screening", true)]
    [InlineData("POST", "/cds-services/ketamine-trd-screening/feedback", true)]
    [InlineData("GET", "/health/live", false)]
    [InlineData("GET", "/no-such-path", false)]
    public async Task Every_response_carries_the_security_headers(string method, string path, bool authenticated)
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        var token = authenticated ? _ehr.CreateToken(path.EndsWith("/feedback", StringComparison.Ordinal) ? ServiceAudience + "/feedback" : ServiceAudience) : null;
        using var request = method == "GET" ? CdsCalls.Get(path, token) : CdsCalls.Post(path, token, "{}");

        using var response = await client.SendAsync(request, Ct);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Server_header_is_not_sent()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(CdsCalls.Get("/cds-services", null), Ct);
        Assert.Empty(response.Headers.Server);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Single(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control no-store missing on {(int)response.StatusCode}");
    }

    private static string Single(HttpResponseMessage response, string header)
        => response.Headers.TryGetValues(header, out var values) ? Assert.Single(values) : throw new Xunit.Sdk.XunitException($"{header} missing on {(int)response.StatusCode}");

    private CdsApiFactory Factory(Action<IServiceCollection>? services = null, params KeyValuePair<string, string?>[] extra)
        => new(_ehr.ClientConfiguration().Append(new("CdsHooks:MaxRequestBodyBytes", BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))).Concat(extra), services);

    /// <summary>A stream of unknown length (StreamContent cannot compute its length up front).</summary>
    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
