using KetamineCds.Api.Configuration;

namespace KetamineCds.Api.CdsHooks;

/// <summary>Which FHIR servers a call may make us contact.</summary>
public static class AllowedFhirServers
{
    /// <summary>
    /// The authenticated client's list; when authentication is disabled (local runs), the union of every
    /// configured client's list. No configured server: no callbacks at all.
    /// </summary>
    public static IReadOnlyList<Uri> For(CdsClientOptions? client, CdsHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IEnumerable<string> urls = client is not null
            ? client.AllowedFhirServers
            : options.RequireAuthentication ? [] : options.Clients.SelectMany(c => c.AllowedFhirServers);
        return urls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().ToList();
    }
}
