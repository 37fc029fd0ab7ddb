using System.Security.Claims;
using KetamineCds.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging.Abstractions;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// The checks a hook call passes after its token, run before readiness on objects of their own: the service policy's
/// authorization (an authorization service without logging, a principal made up here, nothing is authorized for any
/// request) and the jti replay check (fresh random jtis under an issuer of its own, remembered for one second).
/// </summary>
internal static class AccessWarmup
{
    /// <summary>The issuer the warm-up's jtis are remembered under (with random jtis, no real token can meet them).</summary>
    public const string ReplayIssuer = TokenValidationWarmup.Issuer;

    /// <summary>Authorizations of a made-up caller under the hook endpoints' policy; false results count as failures.</summary>
    public static async Task<(int Calls, int Failures)> AuthorizeAsync(IServiceProvider services, bool authenticated, int iterations, CancellationToken cancellationToken)
    {
        var policy = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(CdsAuthorization.ServicePolicy).ConfigureAwait(false);
        if (policy is null)
        {
            return (0, 0);
        }

        // Its own instance: the registered one logs each decision.
        var authorization = ActivatorUtilities.CreateInstance<DefaultAuthorizationService>(services, NullLogger<DefaultAuthorizationService>.Instance);
        var caller = new ClaimsPrincipal(authenticated ? new ClaimsIdentity([new Claim("iss", ReplayIssuer)], "warm-up") : new ClaimsIdentity());
        var calls = 0;
        var failures = 0;
        for (var i = 0; i < iterations && !cancellationToken.IsCancellationRequested; i++)
        {
            var result = await authorization.AuthorizeAsync(caller, resource: null, policy).ConfigureAwait(false);
            calls++;
            failures += result.Succeeded ? 0 : 1;
        }

        return (calls, failures);
    }

    /// <summary>Fresh jtis under <see cref="ReplayIssuer"/>; anything but a first use counts as a failure.</summary>
    public static async Task<(int Calls, int Failures)> CheckReplayAsync(IJtiReplayCache replay, TimeProvider time, int iterations, CancellationToken cancellationToken)
    {
        var calls = 0;
        var failures = 0;
        for (var i = 0; i < iterations && !cancellationToken.IsCancellationRequested; i++)
        {
            var check = await replay.TryRegisterAsync(ReplayIssuer, Guid.NewGuid().ToString("N"), time.GetUtcNow().AddSeconds(1), cancellationToken).ConfigureAwait(false);
            calls++;
            failures += check == ReplayCheck.FirstUse ? 0 : 1;
        }

        return (calls, failures);
    }
}
