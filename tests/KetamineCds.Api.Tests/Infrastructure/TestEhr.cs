using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Infrastructure;

/// <summary>
/// A fake EHR for tests: a freshly generated signing key (ES384 on P-384, or RS384 with RSA-2048), its
/// public-only JWK Set served by WireMock at <c>/jwks.json</c>, and real signed CDS Hooks client JWTs.
/// </summary>
public sealed class TestEhr : IAsyncDisposable
{
    public const string JwksPath = "/jwks.json";

    private readonly TimeProvider _time;

    private TestEhr(string issuer, string algorithm, SecurityKey signingKey, string jwksJson, WireMockServer server, TimeProvider time)
    {
        Issuer = issuer;
        Algorithm = algorithm;
        SigningKey = signingKey;
        JwksJson = jwksJson;
        Server = server;
        _time = time;
    }

    /// <summary>The <c>iss</c> of the tokens.</summary>
    public string Issuer { get; }

    /// <summary>ES384 or RS384.</summary>
    public string Algorithm { get; }

    /// <summary>The private signing key (its <c>KeyId</c> is <see cref="Kid"/>).</summary>
    public SecurityKey SigningKey { get; }

    public string Kid => SigningKey.KeyId;

    /// <summary>The public JWK Set served at <see cref="JwksUrl"/> (never contains private parameters).</summary>
    public string JwksJson { get; }

    /// <summary>The WireMock server that serves the JWK Set (inspect <c>LogEntries</c> to count fetches).</summary>
    public WireMockServer Server { get; }

    public string JwksUrl => Server.Url + JwksPath;

    public static TestEhr Start(string issuer = "https://ehr.example.test", string algorithm = "ES384", TimeProvider? time = null)
    {
        var kid = "ehr-" + Guid.NewGuid().ToString("N")[..12];
        var (signingKey, jwk) = algorithm switch
        {
            SecurityAlgorithms.EcdsaSha384 => CreateEcKey(kid),
            SecurityAlgorithms.RsaSha384 => CreateRsaKey(kid),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Use ES384 or RS384."),
        };
        jwk["alg"] = algorithm;
        var jwks = JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { jwk } });

        var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(JwksPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwks));
        return new TestEhr(issuer, algorithm, signingKey, jwks, server, time ?? TimeProvider.System);
    }

    /// <summary>
    /// A valid token for <paramref name="audience"/>: iss, aud, iat = nbf = now, exp = now + 5 min, a new jti,
    /// header typ JWT and kid. <paramref name="customize"/> may change anything before signing.
    /// </summary>
    public string CreateToken(string audience, Action<SecurityTokenDescriptor>? customize = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            TokenType = "JWT",
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(SigningKey, Algorithm),
        };
        customize?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Configuration registering this EHR as <c>CdsHooks:Clients:{index}</c>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ClientConfiguration(int index = 0, params string[] allowedFhirServers)
    {
        var prefix = $"CdsHooks:Clients:{index}:";
        yield return new(prefix + "Name", "Test EHR " + index);
        yield return new(prefix + "Issuer", Issuer);
        yield return new(prefix + "JwksUrl", JwksUrl);
        for (var i = 0; i < allowedFhirServers.Length; i++)
        {
            yield return new($"{prefix}AllowedFhirServers:{i}", allowedFhirServers[i]);
        }
    }

    /// <summary>Requests WireMock received for the JWK Set.</summary>
    public int JwksFetchCount => Server.FindLogEntries(Request.Create().WithPath(JwksPath).UsingGet()).Count;

    public ValueTask DisposeAsync()
    {
        Server.Stop();
        Server.Dispose();
        return ValueTask.CompletedTask;
    }

    private static (SecurityKey Key, Dictionary<string, object> Jwk) CreateEcKey(string kid)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ecdsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, object>
        {
            ["kty"] = "EC",
            ["crv"] = "P-384",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X!),
            ["y"] = Base64UrlEncoder.Encode(p.Q.Y!),
            ["kid"] = kid,
            ["use"] = "sig",
        };
        return (new ECDsaSecurityKey(ecdsa) { KeyId = kid }, jwk);
    }

    private static (SecurityKey Key, Dictionary<string, object> Jwk) CreateRsaKey(string kid)
    {
        var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus!),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
            ["kid"] = kid,
            ["use"] = "sig",
        };
        return (new RsaSecurityKey(rsa) { KeyId = kid }, jwk);
    }
}
