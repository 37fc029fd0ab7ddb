using System.Diagnostics;
using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Security;
using KetamineCds.Storage;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KetamineCds.Api.Admin;

/// <summary>
/// Writes one audit record per call of a hook endpoint (answered or rejected: 400, 401, 429, ...), after the
/// response, through the bounded <see cref="AuditOutbox"/>: O(1), no I/O, never blocks or fails the call. Runs before
/// authentication and rate limiting so that their rejections are recorded too, with the client when it is known
/// (the authenticated client, or for a 401 the registered client whose <c>iss</c> the token claims).
/// </summary>
internal sealed class HookAuditMiddleware(RequestDelegate next, AuditOutbox outbox, PatientKeyHasher hasher, CdsClientRegistry clients, TimeProvider time)
{
    private const int MaxTokenLength = 16 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName != CdsHooksEndpoints.HookEndpointName)
        {
            await next(context);
            return;
        }

        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var feature = new HookAuditFeature(hasher);
        context.Features.Set(feature);
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var client = context.GetCdsClient() ?? (status == StatusCodes.Status401Unauthorized ? ClaimedClient(context) : null);
            outbox.TryEnqueue(new AuditRecord
            {
                At = at,
                ServiceId = context.Request.RouteValues.TryGetValue("id", out var id) ? id as string ?? "" : "",
                HookInstance = feature.HookInstance,
                Hook = feature.Hook,
                ClientName = client?.Name,
                ClientIssuer = client?.Issuer,
                Tenant = client?.Tenant,
                PatientKey = feature.PatientKey,
                DataSource = feature.Hook is null ? null : feature.DataSource,
                FhirRequests = feature.FhirRequests,
                Status = status,
                DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                Cards = feature.Cards,
            });
        }
    }

    /// <summary>The registered client whose issuer an unauthenticated token claims (signature unchecked: for statistics only).</summary>
    private CdsClientOptions? ClaimedClient(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > MaxTokenLength)
        {
            return null;
        }

        var handler = new JsonWebTokenHandler();
        var token = header["Bearer ".Length..].Trim();
        if (!handler.CanReadToken(token))
        {
            return null;
        }

        try
        {
            return clients.Find(handler.ReadJsonWebToken(token).Issuer);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
