using System.Net;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace KetamineCds.Api.Tests.Security;

/// <summary>The authentication settings: switches, algorithms, inline keys, JWKS caching and key rotation, start-up checks.</summary>
public sealed class SecurityConfigurationTests : IAsyncLifetime
{
    private readonly TestEhr _ehr = TestEhr.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _ehr.DisposeAsync();

    [Fact]
    public async Task Authentication_off_with_the_override_lets_calls_through_and_logs_an_error_at_start_up()
    {
        await using var factory = new CdsApiFactory(_ehr.ClientConfiguration()
            .Append(new("CdsHooks:RequireAuthentication", "false"))
            .Append(new("CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment", "true")));
        using var client = factory.CreateClient();

        using var none = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), null, "{}"), Ct);
        using var garbage = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), "garbage", "{}"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Id == 5012 && e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task Anonymous_discovery_ignores_any_token_by_default()
    {
        await using var factory = new CdsApiFactory(_ehr.ClientConfiguration());
        using var client = factory.CreateClient();

        using var none = await client.SendAsync(CdsCalls.Get("/cds-services", null), Ct);
        using var garbage = await client.SendAsync(CdsCalls.Get("/cds-services", "garbage"), Ct);

        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Equal(0, _ehr.JwksFetchCount);
    }

    [Fact]
    public async Task AllowedAlgorithms_restricts_the_accepted_signatures()
    {
        await using var rsEhr = TestEhr.Start("https://ehr-rs.example.test", "RS384");
        var settings = _ehr.ClientConfiguration(0).Concat(rsEhr.ClientConfiguration(1)).Append(new("CdsHooks:AllowedAlgorithms:0", "ES384"));
        await using var factory = new CdsApiFactory(settings);
        using var client = factory.CreateClient();

        using var es = await client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));
        using var rs = await client.FeedbackAsync(rsEhr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.OK, es.StatusCode);
        await JwtAuthenticationTests.AssertUnauthorizedAsync(rs);
        Assert.Equal(0, rsEhr.JwksFetchCount);
    }

    [Fact]
    public async Task Inline_JWKS_needs_no_fetch()
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:Name"] = "inline",
            ["CdsHooks:Clients:0:Issuer"] = _ehr.Issuer,
            ["CdsHooks:Clients:0:Jwks"] = _ehr.JwksJson,
        };
        await using var factory = new CdsApiFactory(settings);
        using var client = factory.CreateClient();

        using var response = await client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _ehr.JwksFetchCount);
    }

    [Fact]
    public async Task JWKS_is_fetched_once_for_many_calls()
    {
        await using var factory = new CdsApiFactory(_ehr.ClientConfiguration());
        using var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, _ehr.JwksFetchCount);
    }

    [Fact]
    public async Task Rotated_key_is_picked_up_on_an_unknown_kid_no_more_often_than_the_refresh_interval()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ehr = TestEhr.Start("https://rotating.example.test", time: time);
        await using var rotated = TestEhr.Start("https://rotating.example.test", time: time);
        await using var factory = new CdsApiFactory(
            ehr.ClientConfiguration().Append(new("CdsHooks:JwksRefreshInterval", "00:00:30")),
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var client = factory.CreateClient();

        using var before = await client.FeedbackAsync(ehr.CreateToken(FeedbackAudience));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        // The EHR rotates its key: its JWKS now publishes the new one.
        ehr.Server.ResetMappings();
        ehr.Server.Given(Request.Create().WithPath(TestEhr.JwksPath).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(rotated.JwksJson));

        time.Advance(TimeSpan.FromSeconds(5));
        using var tooSoon = await client.FeedbackAsync(rotated.CreateToken(FeedbackAudience));
        Assert.Equal(HttpStatusCode.Unauthorized, tooSoon.StatusCode);
        Assert.Equal(1, ehr.JwksFetchCount);

        time.Advance(TimeSpan.FromSeconds(30));
        using var afterInterval = await client.FeedbackAsync(rotated.CreateToken(FeedbackAudience));
        Assert.Equal(HttpStatusCode.OK, afterInterval.StatusCode);
        Assert.Equal(2, ehr.JwksFetchCount);
    }

    [Fact]
    public async Task Replay_cache_forgets_a_jti_only_once_its_token_has_expired()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ehr = TestEhr.Start("https://clocked.example.test", time: time);
        await using var factory = new CdsApiFactory(ehr.ClientConfiguration(), services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var client = factory.CreateClient();
        var token = ehr.CreateToken(FeedbackAudience);

        using var first = await client.FeedbackAsync(token);
        time.Advance(TimeSpan.FromMinutes(4));
        using var replay = await client.FeedbackAsync(token);
        time.Advance(TimeSpan.FromMinutes(3)); // exp (5 min) + skew (60 s) passed
        using var late = await client.FeedbackAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Message.EndsWith(": ReplayedJti", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Entries, e => e.Message.Contains(": Expired", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CdsHooks:AllowedAlgorithms:0", "HS256", "AllowedAlgorithms")]
    [InlineData("CdsHooks:AllowedAlgorithms:0", "none", "AllowedAlgorithms")]
    [InlineData("CdsHooks:AllowedAlgorithms:0", "ES348", "AllowedAlgorithms")]
    [InlineData("CdsHooks:Clients:0:JwksUrl", "http://ehr.example.test/jwks.json", "JwksUrl")]
    [InlineData("CdsHooks:CorsAllowedOrigins:0", "*", "CorsAllowedOrigins")]
    public async Task Unsafe_settings_stop_the_start_up(string key, string value, string named)
    {
        await using var factory = new CdsApiFactory(_ehr.ClientConfiguration().Append(new(key, value)));

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
