using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace KetamineCds.Api.Demo;

/// <summary>A granted demo access token: opaque, bound to one patient.</summary>
internal sealed record DemoAccessToken(string PatientId, string Scope, DateTimeOffset ExpiresAt);

/// <summary>
/// The demo EHR's SMART App Launch 2.0 authorization server (EHR launch, authorization code with PKCE S256):
/// launch contexts, one-use codes and opaque access tokens, in memory, for the demo's own patients only.
/// Hand-written because it is the EHR side of the exchange (a test double the demo ships), not a client.
/// </summary>
internal sealed class DemoAuthorizationServer(TimeProvider time)
{
    public static readonly TimeSpan LaunchLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (string PatientId, DateTimeOffset ExpiresAt)> _launches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DemoAccessToken> _tokens = new(StringComparer.Ordinal);

    public string CreateLaunch(string patientId)
    {
        var id = NewSecret();
        _launches[id] = (patientId, time.GetUtcNow() + LaunchLifetime);
        return id;
    }

    public string? LaunchPatient(string? launch)
        => launch is not null && _launches.TryGetValue(launch, out var l) && l.ExpiresAt > time.GetUtcNow() ? l.PatientId : null;

    public string CreateCode(string patientId, string clientId, string redirectUri, string codeChallenge, string scope)
    {
        var code = NewSecret();
        _codes[code] = new PendingCode(patientId, clientId, redirectUri, codeChallenge, scope, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>
    /// Redeems a code (once): the redirect URI (and the client id, when the client sends one) must match and SHA-256
    /// of the verifier must equal the challenge.
    /// </summary>
    public (DemoAccessToken Grant, string Token)? Redeem(string? code, string? redirectUri, string? codeVerifier, string? clientId = null)
    {
        if (code is null || !_codes.TryRemove(code, out var pending) || pending.ExpiresAt <= time.GetUtcNow()
            || !string.Equals(pending.RedirectUri, redirectUri, StringComparison.Ordinal)
            || (clientId is not null && !string.Equals(pending.ClientId, clientId, StringComparison.Ordinal))
            || string.IsNullOrEmpty(codeVerifier)
            || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(S256(codeVerifier)), Encoding.ASCII.GetBytes(pending.CodeChallenge)))
        {
            return null;
        }

        return Issue(pending.PatientId, pending.Scope);
    }

    /// <summary>A token for the patient (also what the demo hands the CDS service in fhirAuthorization).</summary>
    public (DemoAccessToken Grant, string Token) Issue(string patientId, string scope)
    {
        var token = NewSecret();
        var grant = new DemoAccessToken(patientId, scope, time.GetUtcNow() + TokenLifetime);
        _tokens[token] = grant;
        return (grant, token);
    }

    public DemoAccessToken? Validate(string? token)
        => token is not null && _tokens.TryGetValue(token, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    public static string S256(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private sealed record PendingCode(string PatientId, string ClientId, string RedirectUri, string CodeChallenge, string Scope, DateTimeOffset ExpiresAt);
}
