using KetamineCds.Api.Configuration;
using KetamineCds.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Tests.Security;

/// <summary>
/// The CDS Hooks 2.0 specification's own example token (Fixtures/README.md) through the production checks: header and
/// issuer pre-check, key lookup, the host's TokenValidationParameters and the claim checks. Lifetime checks are off
/// because the example expired in 2015 (and lived 3.5 years).
/// </summary>
public sealed class SpecExampleTokenTests
{
    private const string Issuer = "https://fhir-ehr.example.com/";
    private const string JkuInExample = "https://fhir-ehr.example.com/jwk_uri";
    private const string TenantInExample = "2ddd6c3a-8e9a-44c6-a305-52111ad302a2";

    private static readonly string Token = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "Fixtures", "19-jwt-compact-ES384.txt")).Trim();
    private static readonly string Jwks = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "Fixtures", "14-jwks-public.json"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Spec_example_token_verifies_with_lifetime_checks_off()
    {
        var http = new RecordingHttpClientFactory();
        var (options, clients, keys) = Build(http);
        var token = new JsonWebToken(Token);

        Assert.Equal(CdsTokenFailure.None, CdsTokenChecks.CheckHeader(token, options, clients, out var client));
        Assert.NotNull(client);
        Assert.True(await keys.EnsureKeyAsync(client, token.Kid, Ct));
        Assert.Equal(0, http.Requests); // the key is configured inline: nothing fetched, the example host never contacted

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(Token, WithoutLifetime(options, clients, keys));
        Assert.True(result.IsValid, result.Exception?.GetType().Name);

        var route = CdsRoute.Parse(new PathString("/cds-services/some-service"));
        Assert.NotNull(route);
        Assert.Equal(
            CdsTokenFailure.None,
            CdsTokenChecks.CheckClaims(token, client, route.Value.Audiences(options.PublicBaseUrl), TimeProvider.System.GetUtcNow(), options, checkLifetime: false));
    }

    [Fact]
    public void Spec_example_token_is_refused_with_lifetime_checks_on()
    {
        var (options, clients, _) = Build(new RecordingHttpClientFactory());
        var token = new JsonWebToken(Token);
        var route = CdsRoute.Parse(new PathString("/cds-services/some-service"))!.Value;
        CdsTokenChecks.CheckHeader(token, options, clients, out var client);

        Assert.Equal(
            CdsTokenFailure.Expired,
            CdsTokenChecks.CheckClaims(token, client!, route.Audiences(options.PublicBaseUrl), TimeProvider.System.GetUtcNow(), options));
    }

    [Fact]
    public async Task Spec_example_token_with_one_bit_of_its_signature_flipped_is_refused()
    {
        var (options, clients, keys) = Build(new RecordingHttpClientFactory());
        var parts = Token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[^1] ^= 0x01;
        var tampered = $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
        CdsTokenChecks.CheckHeader(new JsonWebToken(tampered), options, clients, out var client);
        await keys.EnsureKeyAsync(client!, "example-kid", Ct);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(tampered, WithoutLifetime(options, clients, keys));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    [Theory]
    [InlineData("/cds-services/another-service", "None", nameof(CdsTokenFailure.AudienceMismatch))]
    [InlineData("/cds-services/some-service", "another-tenant", nameof(CdsTokenFailure.TenantMismatch))]
    public void Spec_example_token_is_bound_to_its_audience_and_tenant(string path, string tenant, string expectedFailure)
    {
        var expected = Enum.Parse<CdsTokenFailure>(expectedFailure);
        var (options, clients, _) = Build(new RecordingHttpClientFactory(), tenant == "None" ? TenantInExample : tenant);
        var token = new JsonWebToken(Token);
        CdsTokenChecks.CheckHeader(token, options, clients, out var client);
        var route = CdsRoute.Parse(new PathString(path))!.Value;

        Assert.Equal(expected, CdsTokenChecks.CheckClaims(token, client!, route.Audiences(options.PublicBaseUrl), TimeProvider.System.GetUtcNow(), options, checkLifetime: false));
    }

    [Fact]
    public void Spec_example_jku_must_match_the_configured_JWKS_URL()
    {
        var (options, clients, _) = Build(new RecordingHttpClientFactory(), jwksUrl: "https://fhir-ehr.example.com/other-jwks");
        Assert.Equal(CdsTokenFailure.JkuNotAllowed, CdsTokenChecks.CheckHeader(new JsonWebToken(Token), options, clients, out _));
    }

    private static TokenValidationParameters WithoutLifetime(CdsHooksOptions options, CdsClientRegistry clients, JwksKeyCache keys)
    {
        var parameters = SecurityExtensions.CreateTokenValidationParameters(options, clients, keys, TimeProvider.System);
        parameters.LifetimeValidator = null;
        parameters.ValidateLifetime = false;
        return parameters;
    }

    private static (CdsHooksOptions Options, CdsClientRegistry Clients, JwksKeyCache Keys) Build(
        RecordingHttpClientFactory http, string tenant = TenantInExample, string jwksUrl = JkuInExample)
    {
        var options = new CdsHooksOptions
        {
            PublicBaseUrl = "https://cds.example.org",
            Clients = [new CdsClientOptions { Name = "spec example", Issuer = Issuer, JwksUrl = jwksUrl, Jwks = Jwks, Tenant = tenant }],
        };
        var clients = new CdsClientRegistry(Options.Create(options));
        var keys = new JwksKeyCache(clients, http, Options.Create(options), TimeProvider.System, NullLogger<JwksKeyCache>.Instance);
        return (options, clients, keys);
    }

    /// <summary>Counts requests and answers 404: the spec's example host must never be contacted.</summary>
    private sealed class RecordingHttpClientFactory : IHttpClientFactory
    {
        private int _requests;

        public int Requests => _requests;

        public HttpClient CreateClient(string name) => new(new Handler(this));

        private sealed class Handler(RecordingHttpClientFactory owner) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._requests);
                return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound));
            }
        }
    }
}
