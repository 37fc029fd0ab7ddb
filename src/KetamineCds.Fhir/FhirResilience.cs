using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;

namespace KetamineCds.Fhir;

/// <summary>Maps <see cref="FhirOptions"/> onto the standard HTTP resilience pipeline (pure; unit-tested).</summary>
public static class FhirResilience
{
    /// <summary>
    /// How much later than the hook call's budget the pipeline's own total timeout fires. The budget (a token of
    /// <c>PatientDataProvider</c>) ends the call and is logged as such (2011); when both fired at the same instant, the
    /// same end was logged in some runs as a failed request (2010, <c>TimeoutRejectedException</c>).
    /// </summary>
    public static readonly TimeSpan BackstopMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Total request timeout = the hook call's budget plus <see cref="BackstopMargin"/> (a backstop); per-attempt
    /// timeout; exponential back-off with jitter honouring Retry-After on 408/429/5xx/network errors/attempt timeouts;
    /// circuit breaker whose sampling window is at least twice the attempt timeout (a Polly validation rule).
    /// </summary>
    public static void Apply(HttpStandardResilienceOptions options, FhirOptions fhir)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fhir);

        options.TotalRequestTimeout.Timeout = fhir.TotalTimeout + BackstopMargin;
        options.AttemptTimeout.Timeout = fhir.AttemptTimeout;

        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.ShouldRetryAfterHeader = true;
        options.Retry.Delay = fhir.RetryBaseDelay;
        options.Retry.MaxDelay = fhir.TotalTimeout;
        if (fhir.MaxRetries > 0)
        {
            options.Retry.MaxRetryAttempts = fhir.MaxRetries;
        }
        else
        {
            // Polly requires at least one attempt in the options; retrying nothing is how "0 retries" is expressed.
            options.Retry.MaxRetryAttempts = 1;
            options.Retry.ShouldHandle = static _ => PredicateResult.False();
        }

        options.CircuitBreaker.FailureRatio = fhir.CircuitBreakerFailureRatio;
        options.CircuitBreaker.MinimumThroughput = fhir.CircuitBreakerMinimumThroughput;
        options.CircuitBreaker.BreakDuration = fhir.CircuitBreakerBreakDuration;
        var minimumSampling = fhir.AttemptTimeout * 2;
        options.CircuitBreaker.SamplingDuration = fhir.CircuitBreakerSamplingDuration >= minimumSampling
            ? fhir.CircuitBreakerSamplingDuration
            : minimumSampling;
    }

    /// <summary>
    /// Log levels of the resilience telemetry: a retry, an attempt and an attempt timeout are ordinary and go to Debug
    /// (Polly's defaults write a warning with the exception's stack trace per retry and an information line per attempt);
    /// the circuit breaker keeps its own levels. What a hook call lost is logged by FhirLog.
    /// </summary>
    public static ResilienceEventSeverity Severity(SeverityProviderArguments arguments)
        => arguments.Event.EventName switch
        {
            "OnRetry" or "ExecutionAttempt" or "OnTimeout" => ResilienceEventSeverity.Debug,
            _ => arguments.Event.Severity,
        };
}
