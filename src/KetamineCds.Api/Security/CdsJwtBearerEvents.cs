using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Security;

/// <summary>
/// The CDS Hooks client-JWT checks around JwtBearer: before validation, the header and issuer are checked and the
/// issuer's keys made available without touching any unconfigured URL; after it, audience, lifetime, jti (replay)
/// and tenant. Any failure is a 401 with an empty body; the reason is logged, never the token.
/// </summary>
internal sealed class CdsJwtBearerEvents(
    CdsClientRegistry clients,
    JwksKeyCache keys,
    IJtiReplayCache replay,
    IOptions<CdsHooksOptions> options,
    CdsMetrics metrics,
    TimeProvider time,
    RejectionLog rejections,
    ILogger<CdsJwtBearerEvents> logger) : JwtBearerEvents
{
    /// <summary>Longest accepted Authorization header value (a JWT signed with RSA-4096 and rich claims stays far below).</summary>
    public const int MaxTokenLength = 16 * 1024;

    private const string BearerPrefix = "Bearer ";

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        var settings = options.Value;
        var route = CdsRoute.Parse(context.Request.Path);
        if (route is not { } r || !RequiresToken(r.Kind, settings))
        {
            // Anonymous endpoints (health, anonymous discovery) and disabled authentication ignore any token.
            context.NoResult();
            return;
        }

        var header = context.Request.Headers.Authorization;
        var value = header.Count == 1 ? header[0] : null;
        if (value is null || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            SecurityLog.TokenRefused(logger, r.Kind, "-", CdsTokenFailure.MissingToken);
            Count(null, CdsTokenFailure.MissingToken);
            context.NoResult();
            return;
        }

        var raw = value[BearerPrefix.Length..].Trim();
        if (raw.Length > MaxTokenLength)
        {
            Refuse(context, r.Kind, null, CdsTokenFailure.TokenTooLarge);
            return;
        }

        JsonWebToken token;
        CdsClientOptions? client = null;
        CdsTokenFailure failure;
        try
        {
            token = new JsonWebToken(raw);
            failure = token.IsEncrypted ? CdsTokenFailure.AlgorithmNotAllowed : CdsTokenChecks.CheckHeader(token, settings, clients, out client);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the caller sent, an unreadable token is a 401, never a 500 (JwtBearer rethrows event exceptions).
            Refuse(context, r.Kind, null, CdsTokenFailure.Malformed);
            return;
        }

        if (failure != CdsTokenFailure.None || client is null)
        {
            Refuse(context, r.Kind, client, failure);
            return;
        }

        if (!await keys.EnsureKeyAsync(client, token.Kid, context.HttpContext.RequestAborted))
        {
            Refuse(context, r.Kind, client, CdsTokenFailure.UnknownKid);
            return;
        }

        context.Token = raw;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var settings = options.Value;
        var route = CdsRoute.Parse(context.Request.Path);
        var token = context.SecurityToken as JsonWebToken;
        var client = clients.Find(token?.Issuer);
        if (route is not { } r || token is null || client is null)
        {
            // Cannot happen (MessageReceived only lets CDS routes and configured issuers through), but never authenticate blindly.
            context.Fail(nameof(CdsTokenFailure.InvalidToken));
            return;
        }

        var now = time.GetUtcNow();
        var failure = CdsTokenChecks.CheckClaims(token, client, r.Audiences(settings.PublicBaseUrl), now, settings);
        if (failure == CdsTokenFailure.None)
        {
            // Last, so that only an otherwise valid token uses up its jti (a shared store when several instances run).
            var rememberUntil = new DateTimeOffset(token.ValidTo, TimeSpan.Zero) + settings.ClockSkew;
            failure = await replay.TryRegisterAsync(client.Issuer, token.Id, rememberUntil, context.HttpContext.RequestAborted) switch
            {
                ReplayCheck.FirstUse => CdsTokenFailure.None,
                ReplayCheck.Replayed => CdsTokenFailure.ReplayedJti,
                _ => CdsTokenFailure.ReplayCheckUnavailable,
            };
            if (failure != CdsTokenFailure.None)
            {
                metrics.Rejected(client.Name, failure == CdsTokenFailure.ReplayedJti ? "replayed-jti" : "replay-check-unavailable");
            }
        }

        if (failure != CdsTokenFailure.None)
        {
            SecurityLog.TokenRefused(logger, r.Kind, client.Name, failure);
            Count(client, failure);
            context.Fail(failure.ToString());
            return;
        }

        context.HttpContext.SetCdsClient(client);
        SecurityLog.Authenticated(logger, client.Name, r.Kind);
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        // Signature, issuer, algorithm, type, exp or nbf refused by IdentityModel. Log the exception type only:
        // its message may quote claims (PII is hidden by default, but be strict).
        var route = CdsRoute.Parse(context.Request.Path)?.Kind ?? CdsRouteKind.Service;
        var failure = context.Exception switch
        {
            SecurityTokenExpiredException => CdsTokenFailure.Expired,
            SecurityTokenNotYetValidException => CdsTokenFailure.NotYetValid,
            SecurityTokenNoExpirationException => CdsTokenFailure.MissingExpiry,
            SecurityTokenInvalidIssuerException => CdsTokenFailure.UnknownIssuer,
            SecurityTokenInvalidAlgorithmException => CdsTokenFailure.AlgorithmNotAllowed,
            SecurityTokenInvalidTypeException => CdsTokenFailure.WrongType,
            _ => CdsTokenFailure.InvalidToken,
        };
        var error = context.Exception.GetType().Name;
        SecurityLog.TokenInvalid(logger, route, "-", failure, error);
        Count(null, failure);

        // Set the result: without it JwtBearer rethrows exceptions raised outside IdentityModel (a 500, not a 401).
        context.Fail(failure.ToString());
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        // 401, WWW-Authenticate: Bearer, and nothing else: no error description, no body (status code pages off).
        context.HandleResponse();
        var response = context.Response;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Bearer";
            response.ContentLength = 0;
            if (context.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }
        }

        return Task.CompletedTask;
    }

    internal static bool RequiresToken(CdsRouteKind kind, CdsHooksOptions options)
        => options.RequireAuthentication && (kind != CdsRouteKind.Discovery || !options.AllowAnonymousDiscovery);

    private void Refuse(MessageReceivedContext context, CdsRouteKind route, CdsClientOptions? client, CdsTokenFailure failure)
    {
        SecurityLog.TokenRefused(logger, route, client?.Name ?? "-", failure);
        Count(client, failure);
        context.Fail(failure.ToString());
    }

    /// <summary>The per-request line above is Debug; the Warning is the aggregated count per client and reason.</summary>
    private void Count(CdsClientOptions? client, CdsTokenFailure failure)
    {
        var reason = failure.ToString();
        metrics.AuthenticationFailed(client?.Name, reason);
        rejections.Record(StatusCodes.Status401Unauthorized, client is null ? "unidentified callers" : $"EHR {client.Name}", reason);
    }
}
