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
        // The server would answer after 20 s and the budget is 20 s: only the caller's cancellation can end the call
        // within the 10 s the test waits (a late end fails with TimeoutException, not OperationCanceledException).
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(20)));
        await using var host = FhirTestHost.Create(new Dictionary<string, string?>
        {
            ["Fhir:TotalTimeout"] = "00:00:20",
            ["Fhir:AttemptTimeout"] = "00:00:10",
        });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = host.Provider.GetPatientDataAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null), caller.Token);
        Assert.False(call.IsCompleted);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
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

        // The budget's timer is made before the call first waits, so it exists now; the server answers only after 3 s.
        var call = host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));
        Assert.False(call.IsCompleted, "returned before the (fake) budget was spent");

        time.Advance(TimeSpan.FromSeconds(5)); // the test hosts' Fhir:TotalTimeout
        var result = await call.WaitAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(8, host.LogsWithEventId(2011).Count);
    }
}
