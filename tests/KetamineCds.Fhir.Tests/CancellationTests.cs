using System.Diagnostics;
using KetamineCds.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KetamineCds.Fhir.Tests;

/// <summary>When the CDS client hangs up (HttpContext.RequestAborted), the call stops promptly with OperationCanceledException.</summary>
public sealed class CancellationTests : IAsyncLifetime
{
    private Ehr _ehr = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _ehr.DisposeAsync();

    [Fact]
    public async Task Caller_cancelling_mid_call_stops_it_promptly()
    {
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(2)));
        await using var host = FhirTestHost.Create(new Dictionary<string, string?>
        {
            ["Fhir:TotalTimeout"] = "00:00:20",
            ["Fhir:AttemptTimeout"] = "00:00:10",
        });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        caller.CancelAfter(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => host.Provider.GetPatientDataAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null), caller.Token));
        var elapsed = watch.Elapsed;

        TestContext.Current.SendDiagnosticMessage($"caller cancelled at 300 ms, call returned at {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(elapsed < TimeSpan.FromMilliseconds(2500), $"took {elapsed.TotalMilliseconds} ms");
        Assert.Empty(host.LogsWithEventId(2016));
    }

    [Fact]
    public async Task Already_cancelled_caller_gets_no_request_sent()
    {
        _ehr.ServeAll();
        await using var host = FhirTestHost.Create();
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => host.Provider.GetPatientDataAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null), caller.Token));

        Assert.Empty(_ehr.Requests);
    }

    [Fact]
    public async Task Budget_expiry_is_not_a_cancellation_the_call_returns_normally()
    {
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(3)));
        await using var host = FhirTestHost.Create(FhirTestHost.Fast);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var result = await host.Provider.GetPatientDataAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null), caller.Token);

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.False(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task Budget_runs_on_the_injected_time_provider()
    {
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(3)));
        var time = new FakeTimeProvider();
        await using var host = FhirTestHost.Create(configure: services => services.AddSingleton<TimeProvider>(time));

        var call = host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.False(call.IsCompleted, "returned before the (fake) budget was spent");

        time.Advance(TimeSpan.FromSeconds(5)); // the test hosts' Fhir:TotalTimeout
        var result = await call.WaitAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(8, host.LogsWithEventId(2011).Count);
    }
}
