using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Warms IdentityModel's token validation path (the JSON web token reader, signature providers, OpenSSL's EC and RSA
/// verification, claims identity) before readiness, so that the first signed EHR call does not pay for its JIT. Uses a
/// throwaway key per allowed algorithm family, created here and never trusted: the tokens are validated by a separate
/// handler against that key only, never by the service's JwtBearer scheme.
/// </summary>
internal static class TokenValidationWarmup
{
    private const string Issuer = "urn:ketamine-cds:warm-up";

    /// <summary>Validations per algorithm; false results are counted as failures by the caller.</summary>
    public static async Task<(int Validations, int Failures)> RunAsync(IEnumerable<string> allowedAlgorithms, int iterations, CancellationToken cancellationToken)
    {
        var validations = 0;
        var failures = 0;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = true };
        foreach (var algorithm in allowedAlgorithms.Distinct(StringComparer.Ordinal))
        {
            using var key = CreateKey(algorithm);
            if (key is null)
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
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidateAudience = false,
                IssuerSigningKey = key.SecurityKey,
                ValidAlgorithms = [algorithm],
                ValidTypes = ["JWT"],
            };
            for (var i = 0; i < iterations && !cancellationToken.IsCancellationRequested; i++)
            {
                var result = await handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
                validations++;
                failures += result.IsValid ? 0 : 1;
            }
        }

        return (validations, failures);
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

    private sealed class WarmupKey : IDisposable
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
