using System.Collections.Concurrent;
using System.Text.Json;
using KetamineCds.Api.Configuration;
using KetamineCds.Fhir;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.Api.Security;

/// <summary>
/// Signing keys per trusted issuer: the inline <c>Jwks</c> plus the set fetched from <c>JwksUrl</c>. Fetched on first
/// use, again after <see cref="CdsHooksOptions.JwksCacheLifetime"/>, and on an unknown <c>kid</c>, but never more
/// often than <see cref="CdsHooksOptions.JwksRefreshInterval"/> per issuer. Only configured URLs are ever requested.
/// </summary>
internal sealed class JwksKeyCache
{
    public const string HttpClientName = "jwks";

    private readonly ConcurrentDictionary<string, IssuerKeys> _byIssuer = new(StringComparer.Ordinal);
    private readonly IHttpClientFactory _httpClients;
    private readonly CdsHooksOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JwksKeyCache> _logger;

    public JwksKeyCache(CdsClientRegistry clients, IHttpClientFactory httpClients, IOptions<CdsHooksOptions> options, TimeProvider time, ILogger<JwksKeyCache> logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _options = options.Value;
        _time = time;
        _logger = logger;
        foreach (var client in clients.Clients)
        {
            var inline = string.IsNullOrWhiteSpace(client.Jwks) ? [] : ParseKeys(client.Jwks) ?? [];
            _byIssuer[client.Issuer] = new IssuerKeys(inline);
        }
    }

    /// <summary>The cached keys of <paramref name="issuer"/> with this <paramref name="kid"/> (and, when the JWK names one, this alg). No I/O.</summary>
    public IReadOnlyList<SecurityKey> GetCachedKeys(string? issuer, string? kid, string? algorithm)
    {
        if (issuer is null || kid is null || !_byIssuer.TryGetValue(issuer, out var entry))
        {
            return [];
        }

        return entry.All()
            .Where(k => string.Equals(k.Kid, kid, StringComparison.Ordinal)
                && (string.IsNullOrEmpty(k.Alg) || string.Equals(k.Alg, algorithm, StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>Every key held now, of every trusted EHR (inline, and fetched ones). No I/O.</summary>
    public IReadOnlyList<JsonWebKey> AllCachedKeys() => _byIssuer.Values.SelectMany(e => e.All()).ToList();

    /// <summary>Makes sure the key <paramref name="kid"/> of <paramref name="client"/> is cached, fetching the JWKS if allowed. True if it is.</summary>
    public async Task<bool> EnsureKeyAsync(CdsClientOptions client, string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!_byIssuer.TryGetValue(client.Issuer, out var entry))
        {
            return false;
        }

        if (entry.Has(kid) && !IsStale(entry))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(client.JwksUrl))
        {
            return entry.Has(kid);
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Has(kid) && !IsStale(entry))
            {
                return true;
            }

            var now = _time.GetUtcNow();
            if (entry.LastAttempt is { } last && now - last < _options.JwksRefreshInterval)
            {
                SecurityLog.JwksRefetchSuppressed(_logger, client.Name);
                return entry.Has(kid);
            }

            entry.LastAttempt = now;
            var fetched = await FetchAsync(client, cancellationToken);
            if (fetched is not null)
            {
                entry.Fetched = new FetchedKeys(fetched, now);
            }

            return entry.Has(kid);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>When the JWKS of <paramref name="issuer"/> was last fetched successfully (null: never). No I/O.</summary>
    public DateTimeOffset? LastFetched(string issuer)
        => _byIssuer.TryGetValue(issuer, out var entry) ? entry.Fetched?.At : null;

    private bool IsStale(IssuerKeys entry)
        => entry.Fetched is { } fetched && _time.GetUtcNow() - fetched.At >= _options.JwksCacheLifetime;

    private async Task<IReadOnlyList<JsonWebKey>?> FetchAsync(CdsClientOptions client, CancellationToken cancellationToken)
    {
        if (!SecureUrl.TryParse(client.JwksUrl, out var url, out _))
        {
            SecurityLog.JwksFetchFailed(_logger, client.Name, "insecure or invalid JwksUrl");
            return null;
        }

        try
        {
            var http = _httpClients.CreateClient(HttpClientName);
            using var response = await http.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                SecurityLog.JwksFetchFailed(_logger, client.Name, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            var keys = ParseKeys(json);
            if (keys is null)
            {
                SecurityLog.JwksFetchFailed(_logger, client.Name, "not a JSON Web Key Set");
                return null;
            }

            SecurityLog.JwksFetched(_logger, client.Name, keys.Count);
            return keys;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            SecurityLog.JwksFetchFailed(_logger, client.Name, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>The usable signature keys (EC or RSA, with a kid, use absent or "sig") of a JWK Set; null if it is not one.</summary>
    internal static IReadOnlyList<JsonWebKey>? ParseKeys(string json)
    {
        try
        {
            var set = new JsonWebKeySet(json);
            return set.Keys
                .Where(k => !string.IsNullOrEmpty(k.Kid)
                    && (string.IsNullOrEmpty(k.Use) || k.Use == JsonWebKeyUseNames.Sig)
                    && k.Kty is JsonWebAlgorithmsKeyTypes.EllipticCurve or JsonWebAlgorithmsKeyTypes.RSA)
                .ToList();
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record FetchedKeys(IReadOnlyList<JsonWebKey> Keys, DateTimeOffset At);

    private sealed class IssuerKeys(IReadOnlyList<JsonWebKey> inline)
    {
        private volatile FetchedKeys? _fetched;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The last successful fetch (one reference, so readers never see a torn update).</summary>
        public FetchedKeys? Fetched
        {
            get => _fetched;
            set => _fetched = value;
        }

        /// <summary>Last fetch attempt; read and written under <see cref="Gate"/> only.</summary>
        public DateTimeOffset? LastAttempt { get; set; }

        public bool Has(string kid) => All().Any(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

        public IEnumerable<JsonWebKey> All() => _fetched is { } fetched ? inline.Concat(fetched.Keys) : inline;
    }
}
