using KetamineCds.Fhir.Tests.Support;

namespace KetamineCds.Fhir.Tests;

/// <summary>CDS Hooks equivalence rule: prefetch and our own fallback queries yield the same PatientRecord.</summary>
public sealed class EquivalenceTests : IAsyncLifetime
{
    private Ehr _ehr = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        _ehr.ServeAll();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _ehr.DisposeAsync();

    [Fact]
    public async Task Same_patient_gives_the_same_record_through_prefetch_and_through_the_fhir_server()
    {
        await using var host = FhirTestHost.Create();

        var viaPrefetch = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, TestPatient.Prefetch()));
        var viaServer = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));
        var mixed = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, TestPatient.Prefetch("patient", "observations", "procedures")));

        Assert.Empty(viaPrefetch.FetchedFromFhirServer);
        Assert.Equal(TestPatient.AllKinds, viaServer.FetchedFromFhirServer);
        Assert.Empty(viaPrefetch.Unavailable);
        Assert.Empty(viaServer.Unavailable);
        Assert.Empty(mixed.Unavailable);
        var expected = TestPatient.Snapshot(viaPrefetch.Record);
        Assert.Contains("Medication/med1=", expected, StringComparison.Ordinal);
        Assert.Equal(expected, TestPatient.Snapshot(viaServer.Record));
        Assert.Equal(expected, TestPatient.Snapshot(mixed.Record));
    }
}
