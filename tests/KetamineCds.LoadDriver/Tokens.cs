using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.LoadDriver;

/// <summary>A trusted test issuer: one ES384 key, its public JWKS (inline in the service's configuration), pre-signed tokens.</summary>
internal sealed class Tokens
{
    public const string Issuer = "https://load-driver.ehr.test";

    private readonly ECDsaSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public Tokens()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        _key = new ECDsaSecurityKey(ecdsa) { KeyId = "load-" + Guid.NewGuid().ToString("N")[..8] };
        var p = ecdsa.ExportParameters(includePrivateParameters: false);
        PublicKeyInfo = ecdsa.ExportSubjectPublicKeyInfo();
        Jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = _key.KeyId, ["alg"] = "ES384", ["use"] = "sig",
                    ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
                },
            },
        });
    }

    public string Jwks { get; }

    /// <summary>The public key (for the bare-verification measurement).</summary>
    public byte[] PublicKeyInfo { get; }

    /// <summary><paramref name="count"/> tokens with unique jti for <paramref name="audience"/>, signed before the clock starts.</summary>
    public string[] Sign(string audience, int count)
    {
        var now = DateTime.UtcNow;
        var credentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha384);
        var tokens = new string[count];
        // On every core: ~1 ms per signature here, and a run signs thousands (the handler and the key are thread-safe).
        Parallel.For(0, count, i =>
        {
            tokens[i] = _handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = audience,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(30),
                TokenType = "JWT",
                Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString() },
                SigningCredentials = credentials,
            });
        });

        return tokens;
    }
}
