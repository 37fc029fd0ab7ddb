using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Admin;

/// <summary>
/// The "AdminApiKey" protection of admin endpoints: the <c>X-Api-Key</c> header must equal one of
/// <c>Admin:ApiKeys</c> (compared in constant time over SHA-256 digests, so neither content nor length leaks).
/// No key configured: the endpoint does not exist (404). Missing or wrong key: 401. Use
/// <see cref="AdminApiKeyExtensions.RequireAdminApiKey{TBuilder}"/> on any admin endpoint or group.
/// </summary>
public sealed partial class AdminApiKeyFilter : IEndpointFilter
{
    public const string Name = "AdminApiKey";
    public const string HeaderName = "X-Api-Key";

    private readonly byte[][] _keyDigests;
    private readonly ILogger<AdminApiKeyFilter> _logger;

    public AdminApiKeyFilter(IOptions<AdminOptions> options, ILogger<AdminApiKeyFilter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keyDigests = [.. options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Digest)];
        _logger = logger;
    }

    /// <summary>True when at least one admin key is configured (the admin endpoints exist).</summary>
    public bool Enabled => _keyDigests.Length > 0;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!Enabled)
        {
            return Results.NotFound();
        }

        if (!IsValid(context.HttpContext.Request.Headers[HeaderName].ToString()))
        {
            LogRejected(_logger, context.HttpContext.Request.Path);
            return Results.Unauthorized();
        }

        return await next(context);
    }

    /// <summary>Whether <paramref name="presented"/> is a configured key (every key is compared, in constant time).</summary>
    public bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var digest = Digest(presented);
        var match = false;
        foreach (var key in _keyDigests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Admin request to {Path} refused: missing or unknown X-Api-Key")]
    private static partial void LogRejected(ILogger logger, PathString path);
}

public static class AdminApiKeyExtensions
{
    /// <summary>Protects the endpoint (or group) with <see cref="AdminApiKeyFilter"/>.</summary>
    public static TBuilder RequireAdminApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter<TBuilder, AdminApiKeyFilter>();
}
