using System.Net;
using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Scaling;

/// <summary>Start-up checks of the per-EHR rate limits and the trusted proxies. Messages name the key.</summary>
internal sealed class ScalingOptionsValidator : IValidateOptions<CdsHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        const string s = CdsHooksOptions.SectionName;
        var failures = new List<string>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            if (client.RateLimitPermits is < 1 or > 100_000_000)
            {
                failures.Add($"{s}:Clients:{i}:RateLimitPermits must be between 1 and 100000000.");
            }

            if (client.RateLimitWindow is { } window && (window < TimeSpan.FromSeconds(1) || window > TimeSpan.FromHours(1)))
            {
                failures.Add($"{s}:Clients:{i}:RateLimitWindow must be between 00:00:01 and 01:00:00.");
            }
        }

        var forwarded = options.ForwardedHeaders;
        for (var i = 0; i < forwarded.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(forwarded.KnownProxies[i], out _))
            {
                failures.Add($"{s}:ForwardedHeaders:KnownProxies:{i} '{forwarded.KnownProxies[i]}' is not an IP address.");
            }
        }

        for (var i = 0; i < forwarded.KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(forwarded.KnownNetworks[i], out _))
            {
                failures.Add($"{s}:ForwardedHeaders:KnownNetworks:{i} '{forwarded.KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/24).");
            }
        }

        if (forwarded.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"{s}:ForwardedHeaders:ForwardLimit must be between 1 and 10.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
