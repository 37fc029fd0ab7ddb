using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Security;

/// <summary>
/// EHR authentication and endpoint hardening. (Skeleton: the security issue replaces this with
/// JWT validation, CORS, rate limiting and security headers.)
/// </summary>
public static class SecurityExtensions
{
    public static WebApplicationBuilder AddCdsSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CdsAuthorization.ServicePolicy, p => p.RequireAssertion(_ => true))
            .AddPolicy(CdsAuthorization.DiscoveryPolicy, p => p.RequireAssertion(_ => true));
        return builder;
    }

    public static WebApplication UseCdsSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static TBuilder RequireCdsServiceAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(CdsAuthorization.ServicePolicy);

    public static TBuilder RequireCdsDiscoveryAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(CdsAuthorization.DiscoveryPolicy);

    internal static CdsHooksOptions CdsOptions(this IServiceProvider services)
        => services.GetRequiredService<IOptions<CdsHooksOptions>>().Value;
}
