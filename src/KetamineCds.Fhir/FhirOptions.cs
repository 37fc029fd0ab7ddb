using System.ComponentModel.DataAnnotations;

namespace KetamineCds.Fhir;

/// <summary>Calls to the EHR's FHIR server (configuration section <c>Fhir</c>).</summary>
public sealed class FhirOptions
{
    public const string SectionName = "Fhir";

    /// <summary>Total time budget for all FHIR calls of one hook call; after it the service answers with what it has.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Retries after the first attempt (408, 429, 5xx, network errors).</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay of the exponential back-off (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Maximum pages read per prefetch key, first page included (a prefetched first page counts as one).</summary>
    [Range(1, 100)]
    public int MaxPages { get; set; } = 5;

    /// <summary>The <c>_count</c> asked for on fallback searches.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Circuit breaker: failure ratio that opens it, per EHR authority.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: minimum calls in the sampling window before it may open.</summary>
    [Range(2, 10000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Circuit breaker: the window in which failures are counted (raised to 2x <see cref="AttemptTimeout"/> if smaller).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Circuit breaker: how long it stays open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
