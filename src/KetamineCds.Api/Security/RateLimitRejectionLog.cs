using System.Collections.Concurrent;
using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Security;

/// <summary>Logs a 429 at most once per client per rate-limit window, so a flood cannot flood the logs too.</summary>
internal sealed class RateLimitRejectionLog(IOptions<CdsHooksOptions> options, TimeProvider time, ILogger<RateLimitRejectionLog> logger)
{
    private const int MaxTrackedClients = 10_000;

    private readonly ConcurrentDictionary<string, long> _lastLogged = new(StringComparer.Ordinal);

    public void Rejected(HttpContext context)
    {
        var now = time.GetUtcNow().UtcTicks;
        var window = options.Value.RateLimitWindow.Ticks;
        var partition = CdsRateLimiting.PartitionKey(context);
        if (_lastLogged.TryGetValue(partition, out var last) && now - last < window)
        {
            return;
        }

        if (_lastLogged.Count >= MaxTrackedClients)
        {
            _lastLogged.Clear();
        }

        _lastLogged[partition] = now;
        var client = context.GetCdsClient();
        SecurityLog.RateLimited(
            logger,
            client is null ? "an unauthenticated caller" : $"EHR {client.Name}",
            CdsRoute.Parse(context.Request.Path)?.Kind.ToString() ?? "other");
    }
}
