using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Api.Security;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Tests.Security;

/// <summary>CDS Hooks 2.0 "Trusting CDS Clients": real ES384/RS384 tokens against the real host, JWKS served by WireMock.</summary>
public sealed class JwtAuthenticationTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>
{
    private static readonly string FeedbackAudience = CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";
    private static readonly string ServiceAudience = CdsApiFactory.ServiceAudience(CdsCalls.ServiceId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => api.Client;

    [Fact]
    public async Task Valid_ES384_token_is_accepted()
    {
        using var response = await Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Valid_RS384_token_with_the_configured_tenant_is_accepted()
    {
        var token = api.RsEhr.CreateToken(FeedbackAudience, d => d.Claims["tenant"] = SecuredApiFixture.Tenant);
        using var response = await Client.FeedbackAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Feedback_accepts_the_service_audience_too()
    {
        using var response = await Client.FeedbackAsync(api.EsEhr.CreateToken(ServiceAudience));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Service_call_with_a_valid_token_reaches_the_endpoint()
    {
        // An empty object is not a hook request: 400 from the endpoint proves authentication let it through.
        using var response = await Client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), api.EsEhr.CreateToken(ServiceAudience), "{}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Service_call_refuses_a_feedback_audience()
    {
        await AssertRefusedAsync(() => Client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), api.EsEhr.CreateToken(FeedbackAudience), "{}"), Ct), CdsTokenFailure.AudienceMismatch);
    }

    [Fact]
    public async Task Discovery_requires_a_token_with_the_discovery_audience_when_not_anonymous()
    {
        using var ok = await Client.SendAsync(CdsCalls.Get("/cds-services", api.EsEhr.CreateToken(CdsApiFactory.DiscoveryAudience)), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await AssertRefusedAsync(() => Client.SendAsync(CdsCalls.Get("/cds-services", api.EsEhr.CreateToken(ServiceAudience)), Ct), CdsTokenFailure.AudienceMismatch);
        await AssertRefusedAsync(() => Client.SendAsync(CdsCalls.Get("/cds-services", null), Ct), CdsTokenFailure.MissingToken);
    }

    [Fact]
    public async Task No_token_is_refused()
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(null), CdsTokenFailure.MissingToken);
        await AssertRefusedAsync(() => Client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), null, "{}"), Ct), CdsTokenFailure.MissingToken);
    }

    [Fact]
    public async Task Non_bearer_authorization_is_refused()
    {
        using var request = CdsCalls.Post(CdsCalls.FeedbackPath(), null, CdsCalls.FeedbackBody());
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("ehr:secret")));
        await AssertRefusedAsync(() => Client.SendAsync(request, Ct), CdsTokenFailure.MissingToken);
    }

    [Theory]
    [InlineData("not.a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("e30.e30.")]
    [InlineData("....")]
    [InlineData("eyJhbGciOiJFUzM4NCJ9.bm90IGpzb24.c2ln")]
    [InlineData("bm90IGpzb24.e30.c2ln")]
    [InlineData("W10.W10.c2ln")]
    [InlineData("eyJhbGciOjUsInR5cCI6IkpXVCIsImtpZCI6WzFdfQ.e30.c2ln")]
    [InlineData("eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImsifQ.eyJpc3MiOjEyLCJleHAiOiJzb29uIn0.c2ln")]
    [InlineData("eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImsifQ.eyJpc3MiOlsiaHR0cHM6Ly9laHItZXMuZXhhbXBsZS50ZXN0Il19.c2ln")]
    [InlineData("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")]
    public async Task Malformed_tokens_are_refused_not_crashed_on(string token)
    {
        using var response = await Client.FeedbackAsync(token);
        await AssertUnauthorizedAsync(response);
    }

    [Theory]
    [InlineData("aud", "number")]
    [InlineData("aud", "object")]
    [InlineData("jti", "number")]
    [InlineData("jti", "object")]
    [InlineData("iss", "array")]
    [InlineData("tenant", "object")]
    public async Task Signed_token_with_odd_claim_types_is_refused_not_crashed_on(string claim, string kind)
    {
        object value = kind switch
        {
            "number" => 5,
            "array" => new[] { api.RsEhr.Issuer },
            _ => new Dictionary<string, object> { ["x"] = 1 },
        };
        var token = api.RsEhr.CreateToken(FeedbackAudience, d =>
        {
            d.Claims["tenant"] = SecuredApiFixture.Tenant;
            if (claim == "aud")
            {
                d.Audience = null;
            }

            if (claim == "iss")
            {
                d.Issuer = null;
            }

            d.Claims[claim] = value;
        });

        using var response = await Client.FeedbackAsync(token);
        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = api.EsEhr.Kid };
        var token = Segment(header) + "." + Segment(ValidPayload(api.EsEhr.Issuer, FeedbackAudience)) + ".";
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha256)]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    public async Task HMAC_signed_with_the_public_key_as_secret_is_refused(string algorithm)
    {
        // The classic key-confusion attack: the public JWKS (known to everyone) used as the HMAC secret.
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(api.EsEhr.JwksJson)) { KeyId = api.EsEhr.Kid };
        var token = api.EsEhr.CreateToken(FeedbackAudience, d => d.SigningCredentials = new SigningCredentials(secret, algorithm));
        Assert.Equal(algorithm, new JsonWebToken(token).Alg);

        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task Algorithm_outside_the_allowed_list_is_refused()
    {
        var token = api.RsEhr.CreateToken(FeedbackAudience, d =>
        {
            d.Claims["tenant"] = SecuredApiFixture.Tenant;
            d.SigningCredentials = new SigningCredentials(api.RsEhr.SigningKey, SecurityAlgorithms.RsaSha256);
        });
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData("https://cds.elsewhere.test/cds-services/ketamine-trd-screening")]
    [InlineData("http://localhost/cds-services/ketamine-order-sign")]
    [InlineData("http://localhost/cds-services")]
    [InlineData(null)]
    public async Task Wrong_or_missing_audience_is_refused(string? audience)
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken("unused", d => d.Audience = audience)), CdsTokenFailure.AudienceMismatch);
    }

    [Fact]
    public async Task Expired_token_is_refused()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var token = api.EsEhr.CreateToken(FeedbackAudience, d =>
        {
            d.IssuedAt = now.AddMinutes(-10);
            d.NotBefore = now.AddMinutes(-10);
            d.Expires = now.AddMinutes(-5);
        });
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.Expired);
    }

    [Fact]
    public async Task Token_expired_within_the_clock_skew_is_accepted()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var token = api.EsEhr.CreateToken(FeedbackAudience, d =>
        {
            d.IssuedAt = now.AddMinutes(-5);
            d.NotBefore = now.AddMinutes(-5);
            d.Expires = now.AddSeconds(-20);
        });
        using var response = await Client.FeedbackAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Missing_exp_is_refused()
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.Expires = null)), CdsTokenFailure.MissingExpiry);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("nbf")]
    public async Task A_date_claim_sent_as_a_string_is_refused(string claim)
    {
        // RFC 7519 and CDS Hooks type exp/iat/nbf as NumericDate (a JSON number); IdentityModel alone reads "1767225600" too.
        var now = TimeProvider.System.GetUtcNow();
        var token = api.EsEhr.CreateToken(FeedbackAudience, d =>
        {
            var value = claim == "exp" ? now.AddMinutes(4) : now.AddMinutes(-1);
            d.Claims[claim] = value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (claim == "exp")
            {
                d.Expires = null;
            }
            else if (claim == "iat")
            {
                d.IssuedAt = null;
            }
            else
            {
                d.NotBefore = null;
            }
        });

        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.DateNotNumeric);
    }

    [Fact]
    public async Task A_crit_header_is_refused()
    {
        // RFC 7515 4.1.11: a recipient that does not understand the listed extensions must reject the JWS; this service understands none.
        var token = api.EsEhr.CreateToken(FeedbackAudience, d => d.AdditionalHeaderClaims = new Dictionary<string, object>
        {
            ["crit"] = new[] { "x-ehr-extension" },
            ["x-ehr-extension"] = true,
        });

        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.CriticalHeaderNotSupported);
    }

    [Fact]
    public async Task Future_nbf_is_refused()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var token = api.EsEhr.CreateToken(FeedbackAudience, d =>
        {
            d.NotBefore = now.AddMinutes(5);
            d.Expires = now.AddMinutes(10);
        });
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.NotYetValid);
    }

    [Fact]
    public async Task Future_iat_is_refused()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.IssuedAt = now.AddMinutes(5))), CdsTokenFailure.IssuedInFuture);
    }

    [Fact]
    public async Task Missing_iat_is_refused()
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.IssuedAt = null)), CdsTokenFailure.MissingIssuedAt);
    }

    [Fact]
    public async Task Lifetime_longer_than_the_maximum_is_refused_and_Epic_15_minutes_accepted()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.Expires = now.AddMinutes(61))), CdsTokenFailure.LifetimeTooLong);
        using var epic = await Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.Expires = now.AddMinutes(15)));
        Assert.Equal(HttpStatusCode.OK, epic.StatusCode);
    }

    [Fact]
    public async Task Unknown_issuer_is_refused_without_fetching_its_keys()
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.Stranger.CreateToken(FeedbackAudience)), CdsTokenFailure.UnknownIssuer);
        Assert.Equal(0, api.Stranger.JwksFetchCount);
    }

    [Fact]
    public async Task Jku_other_than_the_issuers_JWKS_URL_is_refused_and_never_requested()
    {
        // Attacker's key, trusted issuer's name, jku pointing at the attacker's JWKS.
        var forged = api.EsEhr.CreateToken(FeedbackAudience, d =>
        {
            d.SigningCredentials = new SigningCredentials(api.Stranger.SigningKey, SecurityAlgorithms.EcdsaSha384);
            d.AdditionalHeaderClaims = new Dictionary<string, object> { ["jku"] = api.RogueJwksUrl };
        });

        // The trusted key, but a jku that is not the configured one: refused as well, not ignored.
        var genuineKeyWrongJku = api.EsEhr.CreateToken(FeedbackAudience, d =>
            d.AdditionalHeaderClaims = new Dictionary<string, object> { ["jku"] = api.RogueJwksUrl });

        await AssertRefusedAsync(() => Client.FeedbackAsync(forged), CdsTokenFailure.JkuNotAllowed);
        await AssertRefusedAsync(() => Client.FeedbackAsync(genuineKeyWrongJku), CdsTokenFailure.JkuNotAllowed);
        Assert.Empty(api.Rogue.LogEntries);
    }

    [Fact]
    public async Task Jku_equal_to_the_configured_JWKS_URL_is_accepted()
    {
        var token = api.EsEhr.CreateToken(FeedbackAudience, d =>
            d.AdditionalHeaderClaims = new Dictionary<string, object> { ["jku"] = api.EsEhr.JwksUrl });
        using var response = await Client.FeedbackAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_kid_is_refused_and_refetches_are_rate_limited()
    {
        using (var warmUp = await Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var before = api.EsEhr.JwksFetchCount;
        for (var i = 0; i < 3; i++)
        {
            var token = api.EsEhr.CreateToken(FeedbackAudience, d =>
                d.SigningCredentials = new SigningCredentials(api.Stranger.SigningKey, SecurityAlgorithms.EcdsaSha384));
            await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.UnknownKid);
        }

        Assert.InRange(api.EsEhr.JwksFetchCount - before, 0, 1);
    }

    [Fact]
    public async Task Missing_kid_is_refused()
    {
        var key = api.EsEhr.SigningKey as ECDsaSecurityKey;
        Assert.NotNull(key);
        var anonymousKey = new ECDsaSecurityKey(key.ECDsa);
        var token = api.EsEhr.CreateToken(FeedbackAudience, d => d.SigningCredentials = new SigningCredentials(anonymousKey, SecurityAlgorithms.EcdsaSha384));
        Assert.False(new JsonWebToken(token).TryGetHeaderValue<string>("kid", out _));

        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.MissingKid);
    }

    [Fact]
    public async Task Typ_other_than_JWT_is_refused()
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.TokenType = "at+jwt")), CdsTokenFailure.WrongType);
    }

    [Fact]
    public async Task Tampered_payload_is_refused()
    {
        var parts = api.EsEhr.CreateToken(FeedbackAudience).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["jti"] = Guid.NewGuid().ToString();
        var tampered = $"{parts[0]}.{Segment(payload)}.{parts[2]}";

        await AssertRefusedAsync(() => Client.FeedbackAsync(tampered), CdsTokenFailure.InvalidToken);
    }

    [Fact]
    public async Task Tampered_signature_is_refused()
    {
        var parts = api.EsEhr.CreateToken(FeedbackAudience).Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0x01;
        await AssertRefusedAsync(() => Client.FeedbackAsync($"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}"), CdsTokenFailure.InvalidToken);
    }

    [Fact]
    public async Task Missing_jti_is_refused()
    {
        await AssertRefusedAsync(() => Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.Claims.Remove(JwtRegisteredClaimNames.Jti))), CdsTokenFailure.MissingJti);
    }

    [Fact]
    public async Task Replayed_jti_is_refused()
    {
        var token = api.EsEhr.CreateToken(FeedbackAudience);
        using var first = await Client.FeedbackAsync(token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.ReplayedJti);
    }

    [Fact]
    public async Task Same_jti_in_a_new_token_is_refused()
    {
        var jti = Guid.NewGuid().ToString();
        using var first = await Client.FeedbackAsync(api.EsEhr.CreateToken(FeedbackAudience, d => d.Claims[JwtRegisteredClaimNames.Jti] = jti));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(
            () => Client.FeedbackAsync(api.EsEhr.CreateToken(ServiceAudience, d => d.Claims[JwtRegisteredClaimNames.Jti] = jti)),
            CdsTokenFailure.ReplayedJti);
    }

    [Theory]
    [InlineData("tenant-b")]
    [InlineData(null)]
    public async Task Wrong_or_missing_tenant_is_refused(string? tenant)
    {
        var token = api.RsEhr.CreateToken(FeedbackAudience, d =>
        {
            if (tenant is not null)
            {
                d.Claims["tenant"] = tenant;
            }
        });
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.TenantMismatch);
    }

    [Fact]
    public async Task Oversized_token_is_refused()
    {
        var token = api.EsEhr.CreateToken(FeedbackAudience, d => d.Claims["padding"] = new string('x', 20_000));
        await AssertRefusedAsync(() => Client.FeedbackAsync(token), CdsTokenFailure.TokenTooLarge);
    }

    /// <summary>401 with an empty body, and the expected reason in the log (so the refusal came from the check under test).</summary>
    private async Task AssertRefusedAsync(Func<Task<HttpResponseMessage>> send, CdsTokenFailure reason)
    {
        var before = api.Factory.Logs.Entries.Count;
        using var response = await send();
        await AssertUnauthorizedAsync(response);
        var refusals = api.Factory.Logs.Entries.Skip(before)
            .Where(e => e.EventId.Id is 5001 or 5002)
            .Select(e => e.Message)
            .ToList();
        Assert.Contains(refusals, m => m.EndsWith($": {reason}", StringComparison.Ordinal) || m.Contains($": {reason} (", StringComparison.Ordinal));
    }

    internal static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static JsonObject ValidPayload(string issuer, string audience)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString(),
        };
    }

    private static string Segment(JsonNode json) => Base64UrlEncoder.Encode(json.ToJsonString(JsonSerializerOptions.Default));
}
