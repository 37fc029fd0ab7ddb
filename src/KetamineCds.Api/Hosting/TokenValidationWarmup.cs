using System.Security.Cryptography;
using System.Text.Encodings.Web;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Warms JwtBearer's and IdentityModel's token validation path (the bearer header, validation parameters, the JSON web
/// token reader, signature providers, OpenSSL's EC and RSA verification, claims identity, the authentication result)
/// before readiness, so that the first signed EHR call does not pay for its JIT. Uses a throwaway key per allowed
/// algorithm family, created here and never trusted: the tokens are authenticated by a JwtBearer handler created here
/// for that key only, on an in-memory request, never by the service's own JwtBearer scheme (whose issuers and keys
/// stay the configured EHRs').
/// </summary>
internal static class TokenValidationWarmup
{
    public const string Issuer = "urn:ketamine-cds:warm-up";

    /// <summary>Validations per algorithm; false results are counted as failures by the caller.</summary>
    public static async Task<(int Validations, int Failures)> RunAsync(IEnumerable<string> allowedAlgorithms, int iterations, CancellationToken cancellationToken)
    {
        using var tokens = Prepare(allowedAlgorithms);
        return await tokens.ValidateAsync(iterations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A throwaway key and a token signed with it per allowed algorithm, made once (an RSA key takes ~100 ms to make)
    /// for validations in rounds (the steady warm-up).
    /// </summary>
    public static WarmupTokens Prepare(IEnumerable<string> allowedAlgorithms)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = true };
        var prepared = new List<(WarmupKey Key, string Token, JwtBearerOptions Options)>();
        foreach (var algorithm in allowedAlgorithms.Distinct(StringComparer.Ordinal))
        {
            if (CreateKey(algorithm) is not { } key)
            {
                continue;
            }

            var token = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                TokenType = "JWT",
                Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N") },
                SigningCredentials = new SigningCredentials(key.SecurityKey, algorithm),
            });
            var options = new JwtBearerOptions
            {
                MapInboundClaims = false,
                SaveToken = false,
                TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Issuer,
                    ValidateAudience = false,
                    IssuerSigningKey = key.SecurityKey,
                    ValidAlgorithms = [algorithm],
                    ValidTypes = ["JWT"],
                },
            };
            prepared.Add((key, token, options));
        }

        return new WarmupTokens(prepared);
    }

    /// <summary>The warm-up's tokens (<see cref="Prepare"/>); disposing it disposes their keys.</summary>
    internal sealed class WarmupTokens : IDisposable
    {
        private readonly List<(WarmupKey Key, string Token, JwtBearerOptions Options)> _tokens;

        internal WarmupTokens(List<(WarmupKey Key, string Token, JwtBearerOptions Options)> tokens) => _tokens = tokens;

        /// <summary><paramref name="iterations"/> validations of each token through a JwtBearer handler of its own.</summary>
        public async Task<(int Validations, int Failures)> ValidateAsync(int iterations, CancellationToken cancellationToken)
        {
            var validations = 0;
            var failures = 0;
            foreach (var (_, token, options) in _tokens)
            {
                for (var i = 0; i < iterations && !cancellationToken.IsCancellationRequested; i++)
                {
                    await Task.Yield(); // completes synchronously otherwise: never hold a pool thread for the whole run
                    var succeeded = await AuthenticateAsync(options, token).ConfigureAwait(false);
                    validations++;
                    failures += succeeded ? 0 : 1;
                }
            }

            return (validations, failures);
        }

        public void Dispose()
        {
            foreach (var (key, _, _) in _tokens)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>One bearer token through a JwtBearer handler of its own (not a scheme of the service; nothing logged).</summary>
    private static async Task<bool> AuthenticateAsync(JwtBearerOptions options, string token)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + token;
        var handler = new JwtBearerHandler(new FixedOptionsMonitor(options), NullLoggerFactory.Instance, UrlEncoder.Default);
        await handler.InitializeAsync(WarmupScheme, http).ConfigureAwait(false);
        var result = await handler.AuthenticateAsync().ConfigureAwait(false);
        return result.Succeeded;
    }

    private static readonly AuthenticationScheme WarmupScheme = new("warm-up", displayName: null, typeof(JwtBearerHandler));

    /// <summary>The warm-up handler's options, whatever scheme name it asks for.</summary>
    private sealed class FixedOptionsMonitor(JwtBearerOptions options) : IOptionsMonitor<JwtBearerOptions>
    {
        public JwtBearerOptions CurrentValue => options;

        public JwtBearerOptions Get(string? name) => options;

        public IDisposable? OnChange(Action<JwtBearerOptions, string?> listener) => null;
    }

    /// <summary>
    /// Builds and caches IdentityModel's verifying signature provider for each trusted EHR key already known (inline
    /// JWKS, or one fetched before): converting a JWK into an OpenSSL key is a first-call cost of several milliseconds.
    /// One verification of a meaningless signature per key and algorithm runs the OpenSSL path; it never succeeds.
    /// </summary>
    public static int PrepareTrustedKeys(IEnumerable<JsonWebKey> keys, IEnumerable<string> allowedAlgorithms)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var prepared = 0;
        var data = "warm-up"u8.ToArray();
        var algorithms = allowedAlgorithms.Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            foreach (var algorithm in algorithms.Where(a => string.IsNullOrEmpty(key.Alg) ? Fits(key, a) : key.Alg == a))
            {
                var factory = key.CryptoProviderFactory;
                if (!factory.IsSupportedAlgorithm(algorithm, key))
                {
                    continue;
                }

                var provider = factory.CreateForVerifying(key, algorithm);
                try
                {
                    _ = provider.Verify(data, new byte[algorithm.StartsWith("ES", StringComparison.Ordinal) ? 96 : 256]);
                    prepared++;
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException or SecurityTokenException)
                {
                    // A key OpenSSL refuses fails the same way on a real call; nothing to prepare.
                }
                finally
                {
                    factory.ReleaseSignatureProvider(provider);
                }
            }
        }

        return prepared;
    }

    /// <summary>
    /// Looks up one key of each EHR whose keys are configured inline, as a call's token header is checked: never a
    /// fetch (an inline-only EHR has no JWKS URL), so an EHR with a JWKS URL is left out.
    /// </summary>
    public static async Task LookUpInlineKeysAsync(JwksKeyCache keys, IEnumerable<CdsClientOptions> clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var client in clients.Where(c => string.IsNullOrWhiteSpace(c.JwksUrl) && !string.IsNullOrWhiteSpace(c.Jwks)))
        {
            if (JwksKeyCache.ParseKeys(client.Jwks!)?.FirstOrDefault(k => !string.IsNullOrEmpty(k.Kid)) is { } key)
            {
                _ = await keys.EnsureKeyAsync(client, key.Kid, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool Fits(JsonWebKey key, string algorithm) => key.Kty switch
    {
        JsonWebAlgorithmsKeyTypes.EllipticCurve => algorithm.StartsWith("ES", StringComparison.Ordinal),
        JsonWebAlgorithmsKeyTypes.RSA => algorithm.StartsWith("RS", StringComparison.Ordinal) || algorithm.StartsWith("PS", StringComparison.Ordinal),
        _ => false,
    };

    private static WarmupKey? CreateKey(string algorithm) => algorithm[..2] switch
    {
        "ES" => new WarmupKey(ECDsa.Create(algorithm switch
        {
            "ES256" => ECCurve.NamedCurves.nistP256,
            "ES512" => ECCurve.NamedCurves.nistP521,
            _ => ECCurve.NamedCurves.nistP384,
        })),
        "RS" or "PS" => new WarmupKey(RSA.Create(2048)),
        _ => null,
    };

    internal sealed class WarmupKey : IDisposable
    {
        private readonly AsymmetricAlgorithm _algorithm;

        public WarmupKey(ECDsa ecdsa)
        {
            _algorithm = ecdsa;
            SecurityKey = new ECDsaSecurityKey(ecdsa);
        }

        public WarmupKey(RSA rsa)
        {
            _algorithm = rsa;
            SecurityKey = new RsaSecurityKey(rsa);
        }

        public SecurityKey SecurityKey { get; }

        public void Dispose() => _algorithm.Dispose();
    }
}
