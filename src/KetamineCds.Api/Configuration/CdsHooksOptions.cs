using System.ComponentModel.DataAnnotations;

namespace KetamineCds.Api.Configuration;

/// <summary>The CDS Hooks surface and who may call it (configuration section <c>CdsHooks</c>).</summary>
public sealed class CdsHooksOptions
{
    public const string SectionName = "CdsHooks";

    /// <summary>Externally visible base URL (no trailing slash). JWT audiences are built from it. https except loopback.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Trusted EHRs.</summary>
    public List<CdsClientOptions> Clients { get; set; } = [];

    /// <summary>Require a valid EHR JWT on service and feedback calls (and discovery unless <see cref="AllowAnonymousDiscovery"/>).</summary>
    public bool RequireAuthentication { get; set; } = true;

    /// <summary>
    /// Outside Development, <see cref="RequireAuthentication"/>=false refuses to start unless this is true; the service
    /// then logs an error at every start. For isolated test rigs only, never for a system an EHR calls.
    /// </summary>
    public bool InsecureAllowUnauthenticatedCallsOutsideDevelopment { get; set; }

    /// <summary>Serve discovery without a JWT.</summary>
    public bool AllowAnonymousDiscovery { get; set; } = true;

    /// <summary>Largest accepted request body in bytes (413 above it).</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 5L * 1024 * 1024;

    /// <summary>Longest accepted JWT lifetime (exp - iat). Epic issues 15-minute tokens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Clock skew tolerated on exp/nbf/iat.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Accepted JWT signing algorithms. Never <c>none</c> or HMAC.</summary>
    public List<string> AllowedAlgorithms { get; set; } = ["ES384", "RS384"];

    /// <summary>Browser origins allowed by CORS (e.g. https://sandbox.cds-hooks.org). Empty: no cross-origin access.</summary>
    public List<string> CorsAllowedOrigins { get; set; } = [];

    /// <summary>Requests per unauthenticated caller (per IP address) per <see cref="RateLimitWindow"/> before 429.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPermits { get; set; } = 600;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Requests per authenticated EHR per <see cref="ClientRateLimitWindow"/> before 429: 10,000 calls/s by default, a
    /// flood guard above what one instance answers (a 429 means clinicians silently get no cards, so the default must not
    /// throttle an EHR the instance could serve; a busy hospital makes ~100/s). The bound on concurrent calls (503) is
    /// what protects the instance. A client's own <c>RateLimitPermits</c>/<c>RateLimitWindow</c> override it.
    /// </summary>
    [Range(1, 100_000_000)]
    public int ClientRateLimitPermits { get; set; } = 100_000;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClientRateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls per CPU core in <see cref="DefaultMaxConcurrentHookCalls"/>.</summary>
    internal const int HookCallsPerCore = 32;

    /// <summary>Queued calls per executing call in the default <see cref="HookCallQueueLimit"/>.</summary>
    internal const int QueuedHookCallsPerCall = 4;

    /// <summary>
    /// Service and feedback calls executing at once on this instance; the excess waits in a FIFO queue of
    /// <see cref="HookCallQueueLimit"/>, beyond it the answer is 503 with Retry-After. Unset: 32 per CPU core
    /// (<see cref="Environment.ProcessorCount"/>, which honours a container's CPU limit). A call without prefetch costs
    /// ~3 ms of CPU (about 8 FHIR queries), so 32 calls in flight per core finish in ~100 ms, far below the 800 ms FHIR
    /// attempt timeout: a saturated instance sheds calls instead of starving its own FHIR queries until they time out
    /// and open the EHR's circuit breaker.
    /// </summary>
    public int? MaxConcurrentHookCalls { get; set; }

    /// <summary>
    /// Calls waiting (first in, first out) for one of the <see cref="MaxConcurrentHookCalls"/>; 0 answers 503 at once.
    /// Unset: 4 times the concurrency bound (a queued call has not started its FHIR queries, so waiting costs no timeout).
    /// </summary>
    public int? HookCallQueueLimit { get; set; }

    /// <summary>The default of <see cref="MaxConcurrentHookCalls"/> on this machine.</summary>
    internal static int DefaultMaxConcurrentHookCalls => HookCallsPerCore * Environment.ProcessorCount;

    /// <summary>The bound in force: <see cref="MaxConcurrentHookCalls"/> or its default.</summary>
    internal int EffectiveMaxConcurrentHookCalls => MaxConcurrentHookCalls ?? DefaultMaxConcurrentHookCalls;

    /// <summary>The queue in force: <see cref="HookCallQueueLimit"/> or 4 times <see cref="EffectiveMaxConcurrentHookCalls"/>.</summary>
    internal int EffectiveHookCallQueueLimit => HookCallQueueLimit ?? QueuedHookCallsPerCall * EffectiveMaxConcurrentHookCalls;

    /// <summary>Trusted reverse proxies; their X-Forwarded-For gives the client address used by the per-IP limit.</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>
    /// Shortest interval between two JWKS fetches for one EHR (an unknown <c>kid</c> triggers a refetch at most this often;
    /// also the back-off after a failed fetch).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long fetched JWKS keys are used before they are fetched again (old keys stay in use if that fails).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan JwksCacheLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Server-side deadline for one request.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opt-in: before <c>/health/ready</c>, go on warming up until the JIT has recompiled the hot code (the first calls
    /// then answer like later ones), at most <see cref="SteadyWarmupLimit"/>. Off by default: ready takes 16-20 s on two
    /// cores with it, ~1.3 s without (docs/performance.md, ninth round).
    /// </summary>
    public bool SteadyWarmup { get; set; }

    /// <summary>The longest the steady warm-up (<see cref="SteadyWarmup"/>) may take; ready then follows regardless.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SteadyWarmupLimit { get; set; } = TimeSpan.FromSeconds(30);
}
