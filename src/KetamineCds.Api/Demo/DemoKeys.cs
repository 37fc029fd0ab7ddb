using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Demo;

/// <summary>
/// The demo EHR's ES384 signing key, generated at start-up and never stored: the demo issuer is trusted (through an
/// inline JWKS) only by this process, and only while <see cref="DemoOptions.Enabled"/> is on.
/// </summary>
internal sealed class DemoKeys : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly ECDsaSecurityKey _securityKey;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public DemoKeys()
    {
        _securityKey = new ECDsaSecurityKey(_key) { KeyId = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(false))) { KeyId = _securityKey.KeyId });
        JwksJson = JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = SecurityAlgorithms.EcdsaSha384 } },
        });
    }

    /// <summary>The public JWK Set (one key).</summary>
    public string JwksJson { get; }

    /// <summary>A CDS Hooks 2.0 EHR JWT: iss, sub, aud, exp (5 minutes), iat, jti.</summary>
    public string SignHookToken(string issuer, string audience, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = now.AddMinutes(5).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = "demo-ehr",
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(_securityKey, SecurityAlgorithms.EcdsaSha384),
        };
        return _handler.CreateToken(descriptor);
    }

    public void Dispose() => _key.Dispose();
}
