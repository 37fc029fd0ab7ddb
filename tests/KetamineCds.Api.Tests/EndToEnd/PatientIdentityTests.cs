using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>Advice only ever about the patient in the hook's context (<c>context.patientId</c>).</summary>
public sealed class PatientIdentityTests : IAsyncLifetime
{
    private ClinicalHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _host = ClinicalHost.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Referral_subject_is_the_hook_patient_even_when_no_Patient_was_prefetched()
    {
        var request = Example("patient-view-trd.request.json");
        request["prefetch"]!["patient"] = null;

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        var referral = JsonNode.Parse(body)!["cards"]!.AsArray()
            .SelectMany(c => c!["suggestions"]?.AsArray() ?? [])
            .SelectMany(s => s!["actions"]!.AsArray())
            .Select(a => a!["resource"]!)
            .Single(r => (string?)r["resourceType"] == "ServiceRequest");
        Assert.Equal("Patient/example-trd-1", (string?)referral["subject"]?["reference"]);
    }

    [Theory]
    [InlineData("patient")]
    [InlineData("conditions")]
    [InlineData("medicationRequests")]
    public async Task Another_patients_prefetched_data_without_a_fhir_server_gives_412_never_advice(string key)
    {
        var request = Example("patient-view-trd.request.json");
        var value = request["prefetch"]![key]!;
        if (key == "patient")
        {
            value["id"] = "someone-else";
        }
        else
        {
            foreach (var entry in value["entry"]!.AsArray().Where(e => e!["resource"]!["subject"] is not null))
            {
                entry!["resource"]!["subject"] = new JsonObject { ["reference"] = "Patient/someone-else" };
            }
        }

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        if (key == "patient")
        {
            // The Patient resource is not required: advice is still built, from this patient's own data.
            Assert.Equal(200, status);
            Assert.DoesNotContain("someone-else", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(412, status);
            Assert.Contains("OperationOutcome", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FhirAuthorization_for_another_patient_is_refused_with_400()
    {
        var request = Example("patient-view-trd.request.json");
        request["fhirServer"] = "https://ehr.example.org/fhir";
        request["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "tok",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/*.read",
            ["subject"] = "ketamine-cds",
            ["patient"] = "someone-else",
        };

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(400, status);
        Assert.Contains("fhirAuthorization.patient differs from context.patientId", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirAuthorization_for_the_same_patient_is_accepted()
    {
        var request = Example("patient-view-trd.request.json");
        request["fhirServer"] = "https://ehr.example.org/fhir";
        request["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "tok",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/*.read",
            ["subject"] = "ketamine-cds",
            ["patient"] = "example-trd-1",
        };

        var (status, _) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
    }

    private static JsonObject Example(string file) => JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", file))!.AsObject();
}
