using KetamineCds.Api.Configuration;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Scaling;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Security;

/// <summary>
/// EHR authentication (CDS Hooks 2.0 "Trusting CDS Clients": JwtBearer with per-issuer JWKS, exact audience, lifetime
/// bounds, jti replay cache, tenant) and endpoint hardening (CORS allow-list, per-client rate limit, the bound on
/// concurrent hook calls, request timeout, security headers). Everything is configured once at start-up from
/// <see cref="CdsHooksOptions"/>.
/// </summary>
public static class SecurityExtensions
{
    /// <summary>The CORS policy applied to every response.</summary>
    public const string CorsPolicyName = "cds-hooks";

    public static WebApplicationBuilder AddCdsSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // The configuration binder appends configured list items to a list's initial value, so a configured
        // AllowedAlgorithms would be merged into the default ES384+RS384 (configuring "ES384" alone would still accept
        // RS384). Configured items replace the default instead.
        services.AddOptions<CdsHooksOptions>().PostConfigure<IConfiguration>((options, configuration) =>
        {
            var configured = configuration.GetSection($"{CdsHooksOptions.SectionName}:{nameof(CdsHooksOptions.AllowedAlgorithms)}").Get<List<string>>();
            if (configured is { Count: > 0 })
            {
                options.AllowedAlgorithms = configured;
            }
        });

        services.AddSingleton<CdsClientRegistry>();
        services.AddSingleton<JwksKeyCache>();
        services.AddCdsScaling();
        services.AddSingleton<CdsJwtBearerEvents>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<RateLimitRejectionLog>();
        services.AddHttpClient(JwksKeyCache.HttpClientName, static client =>
            {
                client.Timeout = TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = 256 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(3),
            });

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<CdsHooksOptions>, CdsClientRegistry, JwksKeyCache, TimeProvider>((jwt, cds, clients, keys, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.SaveToken = false;
                jwt.IncludeErrorDetails = false;
                jwt.EventsType = typeof(CdsJwtBearerEvents);
                jwt.TokenValidationParameters = CreateTokenValidationParameters(cds.Value, clients, keys, time);
            });

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<CdsHooksOptions>>((authorization, cds) =>
        {
            var options = cds.Value;
            authorization.AddPolicy(CdsAuthorization.ServicePolicy, options.RequireAuthentication ? Authenticated() : Anyone());
            authorization.AddPolicy(
                CdsAuthorization.DiscoveryPolicy,
                CdsJwtBearerEvents.RequiresToken(CdsRouteKind.Discovery, options) ? Authenticated() : Anyone());
        });

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CdsHooksOptions>>((cors, cds) =>
            cors.AddPolicy(CorsPolicyName, policy => policy
                .WithOrigins([.. cds.Value.CorsAllowedOrigins.Select(o => o.TrimEnd('/'))])
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Options)
                .WithHeaders("Authorization", "Content-Type")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddRateLimiter(static _ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<CdsHooksOptions>, RedisConnection, WarmupCaller, ILoggerFactory>((limiter, cds, redis, warmup, loggers) => CdsRateLimiting.Configure(limiter, cds.Value, redis, warmup, loggers));
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<CdsHooksOptions>>((limiter, cds) =>
            limiter.AddPolicy(HookCallConcurrencyPolicy.Name, new HookCallConcurrencyPolicy(cds.Value)));

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<CdsHooksOptions>>((timeouts, cds) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = cds.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            });

        return builder;
    }

    /// <summary>
    /// Security headers, CORS (before authentication, so preflights and 401s carry the CORS headers), authentication,
    /// the per-client rate limiter and the hook-call bound (after authentication, so it can partition by EHR and name
    /// the EHR it sheds), request timeouts, authorization.
    /// </summary>
    public static WebApplication UseCdsSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.CdsOptions();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityExtensions).FullName!);
        if (!options.RequireAuthentication && !app.Environment.IsDevelopment())
        {
            SecurityLog.AuthenticationDisabledOutsideDevelopment(logger, app.Environment.EnvironmentName);
        }
        else if (!options.RequireAuthentication)
        {
            SecurityLog.AuthenticationDisabled(logger);
        }
        else
        {
            var algorithms = string.Join(",", options.AllowedAlgorithms);
            SecurityLog.AuthenticationEnabled(logger, options.Clients.Count, algorithms, options.AllowAnonymousDiscovery);
            if (options.Clients.Count == 0)
            {
                SecurityLog.NoClientsConfigured(logger);
            }
        }

        SecurityLog.HookCallsBounded(logger, options.EffectiveMaxConcurrentHookCalls, options.EffectiveHookCallQueueLimit);
        app.UseCdsScaling();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseCdsSecurityHeaders();
        app.UseCors(CorsPolicyName);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.UseAuthorization();
        return app;
    }

    /// <summary>An EHR's call (a hook or its feedback): a trusted EHR's token unless authentication is off.</summary>
    public static TBuilder RequireCdsServiceAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(CdsAuthorization.ServicePolicy).WithMetadata(EhrCallEndpoint.Instance);

    public static TBuilder RequireCdsDiscoveryAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(CdsAuthorization.DiscoveryPolicy);

    internal static CdsHooksOptions CdsOptions(this IServiceProvider services)
        => services.GetRequiredService<IOptions<CdsHooksOptions>>().Value;

    /// <summary>
    /// Signature (keys of the token's own issuer only, by kid), configured issuers, allowed algorithms, typ JWT, exp
    /// required, exp/nbf with the configured skew on <paramref name="time"/> (a custom lifetime validator: IdentityModel's own
    /// reads the system clock). Audience, iat, lifetime bound, jti and
    /// tenant are checked afterwards by <see cref="CdsTokenChecks.CheckClaims"/>.
    /// </summary>
    internal static TokenValidationParameters CreateTokenValidationParameters(CdsHooksOptions options, CdsClientRegistry clients, JwksKeyCache keys, TimeProvider time)
        => new()
        {
            ValidateIssuer = true,
            ValidIssuers = [.. clients.Issuers],
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = options.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => ValidateLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime, options.ClockSkew),
            ValidAlgorithms = [.. options.AllowedAlgorithms],
            ValidTypes = ["JWT"],
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = false,
            IssuerSigningKeyResolver = (_, securityToken, kid, _) =>
            {
                var token = securityToken as JsonWebToken;
                return keys.GetCachedKeys(token?.Issuer, kid, token?.Alg);
            },
        };

    /// <summary>
    /// exp required and not past, nbf (if any) not in the future, both with <paramref name="skew"/>, on the injected clock.
    /// Throws the specific IdentityModel exception so the refusal reason is logged precisely.
    /// </summary>
    internal static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, DateTime utcNow, TimeSpan skew)
    {
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp.");
        }

        if (exp.ToUniversalTime() + skew <= utcNow)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = exp };
        }

        if (notBefore is { } nbf && nbf.ToUniversalTime() > utcNow + skew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }

        return true;
    }

    private static AuthorizationPolicy Authenticated()
        => new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build();

    private static AuthorizationPolicy Anyone()
        => new AuthorizationPolicyBuilder().RequireAssertion(static _ => true).Build();
}
