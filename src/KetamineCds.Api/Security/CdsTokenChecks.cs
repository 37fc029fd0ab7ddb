using System.Text.Json;
using KetamineCds.Api.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Security;

/// <summary>
/// The CDS Hooks 2.0 checks ("Trusting CDS Clients") that <see cref="Microsoft.IdentityModel.Tokens.TokenValidationParameters"/>
/// cannot express: the header checks made before any key is fetched, and the claim checks made after the signature.
/// </summary>
internal static class CdsTokenChecks
{
    /// <summary>Longest accepted <c>jti</c> (bounds the replay cache).</summary>
    public const int MaxJtiLength = 256;

    /// <summary>
    /// Checks the unvalidated header and issuer: an allowed alg, typ JWT, a kid, a configured iss, no crit, and a jku (if
    /// any) equal to that issuer's JWKS URL. Nothing is fetched.
    /// </summary>
    public static CdsTokenFailure CheckHeader(JsonWebToken token, CdsHooksOptions options, CdsClientRegistry clients, out CdsClientOptions? client)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        client = null;

        if (!options.AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return CdsTokenFailure.AlgorithmNotAllowed;
        }

        if (!string.Equals(token.Typ, "JWT", StringComparison.Ordinal))
        {
            return CdsTokenFailure.WrongType;
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return CdsTokenFailure.MissingKid;
        }

        client = token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var issuer) ? clients.Find(issuer) : null;
        if (client is null)
        {
            return CdsTokenFailure.UnknownIssuer;
        }

        if (token.TryGetHeaderValue<object>("crit", out _))
        {
            return CdsTokenFailure.CriticalHeaderNotSupported;
        }

        if (token.TryGetHeaderValue<object>("jku", out var jku)
            && (jku is not string url || client.JwksUrl is null || !string.Equals(url, client.JwksUrl, StringComparison.Ordinal)))
        {
            return CdsTokenFailure.JkuNotAllowed;
        }

        return CdsTokenFailure.None;
    }

    /// <summary>
    /// Checks the claims of a token whose signature, issuer, exp and nbf have been validated: aud equal to one of
    /// <paramref name="audiences"/>, a jti, the client's tenant, and (when <paramref name="checkLifetime"/>) iat
    /// present and not in the future and a lifetime within <see cref="CdsHooksOptions.MaxTokenLifetime"/>.
    /// </summary>
    public static CdsTokenFailure CheckClaims(
        JsonWebToken token,
        CdsClientOptions client,
        IReadOnlyList<string> audiences,
        DateTimeOffset now,
        CdsHooksOptions options,
        bool checkLifetime = true)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(audiences);
        ArgumentNullException.ThrowIfNull(options);

        if (!token.Audiences.Any(a => audiences.Contains(a, StringComparer.Ordinal)))
        {
            return CdsTokenFailure.AudienceMismatch;
        }

        if (checkLifetime)
        {
            var lifetime = CheckLifetime(token, now, options);
            if (lifetime != CdsTokenFailure.None)
            {
                return lifetime;
            }
        }

        if (string.IsNullOrEmpty(token.Id))
        {
            return CdsTokenFailure.MissingJti;
        }

        if (token.Id.Length > MaxJtiLength)
        {
            return CdsTokenFailure.JtiTooLong;
        }

        if (!string.IsNullOrEmpty(client.Tenant)
            && !(token.TryGetPayloadValue<string>("tenant", out var tenant) && string.Equals(tenant, client.Tenant, StringComparison.Ordinal)))
        {
            return CdsTokenFailure.TenantMismatch;
        }

        return CdsTokenFailure.None;
    }

    /// <summary>
    /// <c>exp</c>, <c>iat</c> and <c>nbf</c>, when present, are JSON numbers (NumericDate, RFC 7519 2). Read from the
    /// payload's JSON: IdentityModel converts <c>"1767225600"</c>, a string, to a number when it reads the token.
    /// </summary>
    private static bool DatesAreNumeric(JsonWebToken token)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        foreach (var property in payload.RootElement.EnumerateObject())
        {
            if (property.Name is JwtRegisteredClaimNames.Exp or JwtRegisteredClaimNames.Iat or JwtRegisteredClaimNames.Nbf
                && property.Value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }
        }

        return true;
    }

    private static CdsTokenFailure CheckLifetime(JsonWebToken token, DateTimeOffset now, CdsHooksOptions options)
    {
        var skew = options.ClockSkew;
        if (!DatesAreNumeric(token))
        {
            return CdsTokenFailure.DateNotNumeric;
        }

        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _))
        {
            return CdsTokenFailure.MissingExpiry;
        }

        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out _))
        {
            return CdsTokenFailure.MissingIssuedAt;
        }

        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        var issuedAt = new DateTimeOffset(token.IssuedAt, TimeSpan.Zero);
        if (expires + skew <= now)
        {
            return CdsTokenFailure.Expired;
        }

        if (token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out _) && new DateTimeOffset(token.ValidFrom, TimeSpan.Zero) > now + skew)
        {
            return CdsTokenFailure.NotYetValid;
        }

        if (issuedAt > now + skew)
        {
            return CdsTokenFailure.IssuedInFuture;
        }

        // A backdated iat must not hide a long remaining lifetime: bound both exp - iat and exp - now.
        if (expires - issuedAt > options.MaxTokenLifetime || expires - now > options.MaxTokenLifetime + skew)
        {
            return CdsTokenFailure.LifetimeTooLong;
        }

        return CdsTokenFailure.None;
    }
}
