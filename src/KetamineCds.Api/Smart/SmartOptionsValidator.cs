using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Smart;

/// <summary>Start-up checks of each EHR's <c>Smart</c> registration. Messages name the key; never echo the secret.</summary>
internal sealed class SmartOptionsValidator : IValidateOptions<CdsHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var c = options.Clients[i];
            var key = $"{CdsHooksOptions.SectionName}:Clients:{i}:Smart";
            var enabled = !string.IsNullOrWhiteSpace(c.Smart.ClientId);
            if (!enabled && !string.IsNullOrEmpty(c.Smart.ClientSecret))
            {
                failures.Add($"{key}:ClientSecret is set without {key}:ClientId.");
            }

            if (enabled && c.AllowedFhirServers.Count == 0)
            {
                failures.Add($"{key}:ClientId is set but {CdsHooksOptions.SectionName}:Clients:{i}:AllowedFhirServers is empty: no launch could be accepted.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
