using Hl7.Fhir.Model;
using KetamineCds.Core.Model;
using KetamineCds.Fhir.Tests.Support;

namespace KetamineCds.Fhir.Tests;

/// <summary>
/// Data must belong to the hook's patient (<c>context.patientId</c>): a prefetch key holding another patient's resources is
/// treated as not prefetched (fetched from fhirServer, else unavailable); a server response holding them is unusable.
/// </summary>
public sealed class PatientIdentityTests : IAsyncLifetime
{
    private Ehr _ehr = null!;
    private FhirTestHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        _host = FhirTestHost.Create();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ehr.DisposeAsync();
    }

    private static Condition OtherPatientsCondition(string subject) => new()
    {
        Id = "foreign",
        Subject = new ResourceReference(subject),
        Code = new CodeableConcept { Text = "Another patient's condition" },
    };

    [Theory]
    [InlineData("Patient/someone-else")]
    [InlineData("https://ehr.test/fhir/Patient/someone-else")]
    [InlineData("Patient/pat-10")]
    [InlineData("Group/pat-1")]
    public async Task Prefetched_key_with_another_patients_resource_is_fetched_from_the_fhir_server_instead(string subject)
    {
        _ehr.ServeAll("conditions");
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = TestPatient.Element(TestPatient.Searchset(TestPatient.Condition("c9"), OtherPatientsCondition(subject)));

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal([PatientDataKind.Conditions], result.FetchedFromFhirServer);
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
        var log = Assert.Single(_host.LogsWithEventId(2018));
        Assert.Contains("1 resource(s) of another patient", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("someone-else", _host.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefetched_Patient_with_another_id_without_a_fhir_server_is_unavailable_and_not_used()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["patient"] = TestPatient.Element(new Patient { Id = "someone-else", BirthDate = "1950-01-01" });

        var result = await _host.GetAsync(TestPatient.Request(fhirServer: null, prefetch));

        Assert.Equal([PatientDataKind.Patient], result.Unavailable);
        Assert.Null(result.Record.Patient);
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
    }

    [Theory]
    [InlineData("Patient/pat-1")]
    [InlineData("https://ehr.test/fhir/Patient/pat-1")]
    [InlineData("https://ehr.test/fhir/Patient/pat-1/_history/3")]
    [InlineData("-1")]
    [InlineData("#p1")]
    [InlineData("NotAType/pat-2")]
    public async Task References_to_the_hook_patient_in_any_form_and_unreadable_ones_are_kept(string subject)
    {
        var prefetch = TestPatient.Prefetch();
        var own = TestPatient.Condition("c9");
        own.Subject = new ResourceReference(subject);
        prefetch["conditions"] = TestPatient.Element(TestPatient.Searchset(own));

        var result = await _host.GetAsync(TestPatient.Request(fhirServer: null, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal(["c9"], result.Record.Conditions.Select(c => c.Id));
        Assert.Empty(_host.LogsWithEventId(2018));
    }

    [Fact]
    public async Task Server_response_with_another_patients_data_is_unusable()
    {
        _ehr.ServeAll("patient", "conditions", "medicationStatements", "medicationDispenses", "observations", "allergies", "procedures");
        _ehr.Serve("medicationRequests", TestPatient.Searchset(new MedicationRequest
        {
            Id = "mr-foreign",
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Subject = new ResourceReference("Patient/someone-else"),
            Medication = new CodeableConcept { Text = "Esketamine" },
        }));

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        Assert.Equal([PatientDataKind.MedicationRequests], result.Unavailable);
        Assert.Empty(result.Record.MedicationRequests);
        Assert.Contains("1 resource(s) of another patient", Assert.Single(_host.LogsWithEventId(2012)).Message, StringComparison.Ordinal);
    }
}
