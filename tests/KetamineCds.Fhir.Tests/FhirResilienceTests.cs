using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using KetamineCds.Fhir.Tests.Support;
using Polly;
using Polly.Retry;

namespace KetamineCds.Fhir.Tests;

public sealed class FhirResilienceTests
{
    [Fact]
    public void Apply_maps_the_fhir_options_onto_the_standard_pipeline()
    {
        var fhir = new FhirOptions
        {
            TotalTimeout = TimeSpan.FromSeconds(2),
            AttemptTimeout = TimeSpan.FromMilliseconds(800),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
            CircuitBreakerFailureRatio = 0.5,
            CircuitBreakerMinimumThroughput = 10,
            CircuitBreakerBreakDuration = TimeSpan.FromSeconds(15),
            CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(30),
        };
        var options = new HttpStandardResilienceOptions();

        FhirResilience.Apply(options, fhir);

        Assert.Equal(TimeSpan.FromSeconds(2) + FhirResilience.BackstopMargin, options.TotalRequestTimeout.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(800), options.AttemptTimeout.Timeout);
        Assert.Equal(2, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.Retry.Delay);
        Assert.Equal(DelayBackoffType.Exponential, options.Retry.BackoffType);
        Assert.True(options.Retry.UseJitter);
        Assert.True(options.Retry.ShouldRetryAfterHeader);
        Assert.Equal(0.5, options.CircuitBreaker.FailureRatio);
        Assert.Equal(10, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CircuitBreaker.BreakDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.SamplingDuration);
    }

    [Fact]
    public void Sampling_duration_is_raised_to_twice_the_attempt_timeout()
    {
        var options = new HttpStandardResilienceOptions();

        FhirResilience.Apply(options, new FhirOptions
        {
            TotalTimeout = TimeSpan.FromSeconds(30),
            AttemptTimeout = TimeSpan.FromSeconds(20),
            CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(5),
        });

        Assert.Equal(TimeSpan.FromSeconds(40), options.CircuitBreaker.SamplingDuration);
    }

    [Fact]
    public async Task Zero_retries_means_no_outcome_is_retried()
    {
        var options = new HttpStandardResilienceOptions();
        FhirResilience.Apply(options, new FhirOptions { MaxRetries = 0 });

        var context = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        using var unavailable = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        var retry = await options.Retry.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(context, Outcome.FromResult(unavailable), 0));
        ResilienceContextPool.Shared.Return(context);

        Assert.False(retry);
        Assert.Equal(1, options.Retry.MaxRetryAttempts);
    }

    [Fact]
    public async Task Registered_fhir_client_uses_the_configured_numbers()
    {
        await using var services = FhirTestHost.Build(new Dictionary<string, string?>
        {
            ["Fhir:TotalTimeout"] = "00:00:03",
            ["Fhir:AttemptTimeout"] = "00:00:00.700",
            ["Fhir:MaxRetries"] = "3",
        });

        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("fhir-standard");

        Assert.Equal(TimeSpan.FromSeconds(3) + FhirResilience.BackstopMargin, options.TotalRequestTimeout.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(700), options.AttemptTimeout.Timeout);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
    }

    [Fact]
    public void Attempt_timeout_not_shorter_than_the_total_budget_fails_start_up()
    {
        var error = StartupFailure(new Dictionary<string, string?>
        {
            ["Fhir:TotalTimeout"] = "00:00:01",
            ["Fhir:AttemptTimeout"] = "00:00:01",
        });

        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_values_fail_start_up()
    {
        var error = StartupFailure(new Dictionary<string, string?> { ["Fhir:MaxPages"] = "0" });

        Assert.Contains("MaxPages", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Start-up validation reports every failing options instance (FhirOptions and the pipeline options built from it).</summary>
    private static OptionsValidationException StartupFailure(Dictionary<string, string?> settings)
    {
        var thrown = Assert.ThrowsAny<Exception>(() => FhirTestHost.Build(settings));
        var failures = thrown is AggregateException aggregate ? aggregate.InnerExceptions : [thrown];
        return Assert.IsType<OptionsValidationException>(failures[0]);
    }
}
