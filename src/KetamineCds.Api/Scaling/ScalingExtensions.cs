using System.Net;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Scaling;

/// <summary>
/// What lets several instances behave as one: the jti replay cache in Redis when <c>Redis:Configuration</c> is set
/// (in memory otherwise), Redis readiness, and the trusted reverse proxies whose forwarded headers give the client address.
/// </summary>
public static class ScalingExtensions
{
    public static IServiceCollection AddCdsScaling(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName)
            .Validate(ConfigurationParses, $"{RedisOptions.SectionName}:Configuration is not a valid StackExchange.Redis configuration string.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdsHooksOptions>, ScalingOptionsValidator>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<MemoryJtiReplayCache>();
        services.AddSingleton<RedisJtiReplayCache>();
        services.AddSingleton<IJtiReplayCache>(sp => sp.GetRequiredService<RedisConnection>().Enabled
            ? sp.GetRequiredService<RedisJtiReplayCache>()
            : sp.GetRequiredService<MemoryJtiReplayCache>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<CdsHooksOptions>>((forwarded, cds) =>
        {
            var settings = cds.Value.ForwardedHeaders;
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = settings.ForwardLimit;

            // The defaults trust loopback; only the configured proxies are trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>
    /// Forwarded headers first (only when proxies are configured: otherwise X-Forwarded-For is ignored), so that the
    /// rate limiter and HSTS see the client's address and scheme. Logs where the shared state lives.
    /// </summary>
    public static WebApplication UseCdsScaling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScalingExtensions).FullName!);
        var redis = app.Services.GetRequiredService<RedisConnection>();
        if (redis.Enabled)
        {
            ScalingLog.RedisEnabled(logger, redis.Endpoints);
        }
        else
        {
            ScalingLog.RedisDisabled(logger);
        }

        var forwarded = app.Services.CdsOptions().ForwardedHeaders;
        if (forwarded.Enabled)
        {
            ScalingLog.ForwardedHeadersEnabled(logger, forwarded.KnownProxies.Count, forwarded.KnownNetworks.Count, forwarded.ForwardLimit);
            app.UseForwardedHeaders();
        }

        return app;
    }

    private static bool ConfigurationParses(RedisOptions options)
    {
        if (!options.Enabled)
        {
            return true;
        }

        try
        {
            return RedisConnection.CreateOptions(options).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
