using System.Text.Json;
using KetamineCds.Fhir;
using Microsoft.Extensions.Caching.Memory;

namespace KetamineCds.Api.Smart;

/// <summary>The parts of <c>{iss}/.well-known/smart-configuration</c> the launch needs.</summary>
public sealed record SmartConfiguration(Uri AuthorizationEndpoint, Uri TokenEndpoint, bool SupportsV2Scopes);

/// <summary>Reads and briefly caches an EHR's SMART configuration. Only ever called for an allow-listed iss.</summary>
public sealed class SmartConfigurationClient(IHttpClientFactory http, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "KetamineCds.Smart";

    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 256 });

    /// <summary>The configuration, or null with a reason (unreachable, not JSON, endpoints missing or not https).</summary>
    public async Task<(SmartConfiguration? Configuration, string? Error)> GetAsync(Uri iss, CancellationToken cancellationToken)
    {
        var key = iss.AbsoluteUri;
        if (_cache.TryGetValue(key, out (SmartConfiguration Config, DateTimeOffset Until) hit) && hit.Until > time.GetUtcNow())
        {
            return (hit.Config, null);
        }

        var url = new Uri(key.TrimEnd('/') + "/.well-known/smart-configuration");
        try
        {
            using var client = http.CreateClient(HttpClientName);
            using var response = await client.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode}");
            }

            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryEndpoint(root, "authorization_endpoint", out var authorize)
                || !TryEndpoint(root, "token_endpoint", out var token))
            {
                return (null, "authorization_endpoint or token_endpoint missing or not https");
            }

            var v2 = Strings(root, "capabilities").Contains("permission-v2", StringComparer.Ordinal)
                || Strings(root, "scopes_supported").Any(s => s.EndsWith(".rs", StringComparison.Ordinal) || s.EndsWith(".r", StringComparison.Ordinal));
            var config = new SmartConfiguration(authorize, token, v2);
            _cache.Set(key, (config, time.GetUtcNow() + CacheLifetime), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheLifetime });
            return (config, null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, e.GetType().Name);
        }
    }

    private static bool TryEndpoint(JsonElement root, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        return root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && SecureUrl.TryParse(value.GetString(), out uri, out _);
    }

    private static IEnumerable<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            : [];

    public void Dispose() => _cache.Dispose();
}
