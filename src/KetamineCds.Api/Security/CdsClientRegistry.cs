using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Security;

/// <summary>The trusted EHRs of <c>CdsHooks:Clients</c>, by exact <c>iss</c>. Built once at start-up.</summary>
internal sealed class CdsClientRegistry
{
    private readonly Dictionary<string, CdsClientOptions> _byIssuer;

    public CdsClientRegistry(IOptions<CdsHooksOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _byIssuer = options.Value.Clients
            .Where(c => !string.IsNullOrWhiteSpace(c.Issuer))
            .GroupBy(c => c.Issuer, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<CdsClientOptions> Clients => _byIssuer.Values;

    public IReadOnlyCollection<string> Issuers => _byIssuer.Keys;

    public CdsClientOptions? Find(string? issuer)
        => issuer is not null && _byIssuer.TryGetValue(issuer, out var client) ? client : null;
}
