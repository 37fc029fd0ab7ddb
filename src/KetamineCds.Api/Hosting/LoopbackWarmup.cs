using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Requests the service sends to its own HTTP listener once it listens, before it reports ready: the first request
/// otherwise pays for Kestrel's connection and parser paths, the middleware and routing, whose endpoints are built
/// on the first request. Only endpoints without side effects are called: <c>/health/live</c> (no rate limit, no audit)
/// and the public discovery document when it is public, marked as the warm-up's so the per-address rate limit
/// does not count them (<see cref="WarmupCaller"/>). Nothing is sent when the service listens on HTTPS only or
/// runs without a real server (tests).
/// </summary>
internal static class LoopbackWarmup
{
    public static async Task<int> RunAsync(IServer server, IHostApplicationLifetime lifetime, WarmupCaller caller, bool discoveryIsPublic, int iterations, CancellationToken cancellationToken)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => listening.TrySetResult()))
        {
            await listening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!TryGetLoopbackUrl(server, out var baseUrl))
        {
            return 0;
        }

        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Add(WarmupCaller.HeaderName, caller.HeaderValue);
        var calls = 0;
        for (var i = 0; i < iterations && !cancellationToken.IsCancellationRequested; i++)
        {
            calls += await TryGetAsync(client, "health/live", cancellationToken).ConfigureAwait(false);
            if (discoveryIsPublic && i < 3)
            {
                // Three are enough for the discovery endpoint's first-request work; the rate limiter does not count them (WarmupCaller).
                calls += await TryGetAsync(client, "cds-services", cancellationToken).ConfigureAwait(false);
            }
        }

        return calls;
    }

    private static async Task<int> TryGetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            _ = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return 0; // a warm-up never stops the host
        }
    }

    /// <summary>An http:// address the service listens on, as reachable from this machine (wildcards become 127.0.0.1).</summary>
    private static bool TryGetLoopbackUrl(IServer server, [NotNullWhen(true)] out Uri? url)
    {
        url = null;
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null)
        {
            return false;
        }

        // Kestrel reports wildcards as written ("http://+:80", "http://*:80") or as bound ("http://0.0.0.0:80", "http://[::]:80").
        var normalized = address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        url = new Uri(parsed.GetLeftPart(UriPartial.Authority) + "/");
        return true;
    }
}
