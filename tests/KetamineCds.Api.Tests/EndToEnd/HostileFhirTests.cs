using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Contract;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>Odd or broken FHIR in prefetch and draft orders never crashes a call: bad resources are skipped, the rest is used.</summary>
public sealed class HostileFhirTests : IAsyncLifetime
{
    private ClinicalHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _host = ClinicalHost.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string, string> BrokenEntries => new()
    {
        { "observations", """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectiveDateTime":"not-a-date","valueQuantity":"abc"}""" },
        { "observations", """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"effectiveDateTime":"2026-11-01","valueQuantity":{"value":"nineteen"}}""" },
        { "conditions", """{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"Q28.2"}]},"onsetDateTime":"2010-13-45","clinicalStatus":"active"}""" },
        { "medicationRequests", """{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"#missing"},"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":-5,"unit":"mg"}}],"timing":{"repeat":{"frequency":0,"period":0,"periodUnit":"d"}}}]}""" },
        { "medicationRequests", """{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"sertraline 1e308 mg"},"authoredOn":"0001-01-01","dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":1e300,"unit":"tablet"}}],"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"s"}}}]}""" },
        { "medicationStatements", """{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":""},"effectivePeriod":{"start":"2030-01-01","end":"2020-01-01"}}""" },
        { "allergies", """{"resourceType":"AllergyIntolerance","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"6130"}]},"patient":{"reference":"Patient/x"},"clinicalStatus":{"coding":[{"code":"what"}]}}""" },
        { "conditions", """{"resourceType":"NotAResource","foo":1}""" },
        { "conditions", """{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":5}]},"verificationStatus":{"coding":[{"code":true}]}}""" },
        { "medicationRequests", """{"resourceType":"MedicationRequest","status":"bogus","intent":"sometimes","medicationCodeableConcept":{"text":"alprazolam 1 mg"},"dispenseRequest":{"numberOfRepeatsAllowed":"many","expectedSupplyDuration":{"value":true}}}""" },
        { "medicationStatements", """{"resourceType":"MedicationStatement","status":42,"medicationCodeableConcept":{"text":"lorazepam"},"dosage":[{"timing":{"repeat":{"frequency":"twice","period":"x","boundsPeriod":{"start":"soon"}}}}]}""" },
        { "allergies", """{"resourceType":"AllergyIntolerance","criticality":"extreme","patient":{"reference":"Patient/x"},"code":{"text":"ketamine"}}""" },
        { "medicationRequests", """{"resourceType":"MedicationRequest","status":"active","intent":"order","authoredOn":"2026-11-01","medicationCodeableConcept":{"text":"alprazolam 2 mg tablet"},"dispenseRequest":{"numberOfRepeatsAllowed":2147483647,"expectedSupplyDuration":{"value":79228162514264337593543950335,"unit":"d"}},"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":79228162514264337593543950335,"unit":"tablet"}}],"timing":{"repeat":{"frequency":2147483647,"period":0.0000000000000000000000000001,"periodUnit":"min"}}}]}""" },
        { "medicationDispenses", """{"resourceType":"MedicationDispense","status":"completed","medicationCodeableConcept":{"text":"sertraline 100 mg"},"whenHandedOver":"2026-10-01","daysSupply":{"value":79228162514264337593543950335},"quantity":{"value":-1}}""" },
        { "observations", """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectiveDateTime":"2026-11-26","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":-79228162514264337593543950335}}]}""" },
        { "medicationStatements", """{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"clonazepam 1 mg"},"effectivePeriod":{"start":"2026-11-01"},"dosage":[{"doseAndRate":[{"doseQuantity":{"value":1,"unit":"mg"}}],"timing":{"repeat":{"frequency":1,"period":79228162514264337593543950335,"periodUnit":"a"}}}]}""" },
        { "patient", """{"resourceType":"Patient","id":"example-trd-2","birthDate":"yesterday","deceasedBoolean":"no","gender":"robot"}""" },
        { "conditions", """{"resourceType":"Condition","resourceType":"Condition","code":1}""" },
        { "observations", """{"resourceType":"Observation","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":99999999999999999999999999999}}]}""" },
    };

    [Theory]
    [MemberData(nameof(BrokenEntries))]
    public async Task A_broken_prefetched_resource_is_skipped_and_the_rest_still_counts(string key, string resource)
    {
        var request = Example("order-sign-esketamine.request.json");
        if (key == "patient")
        {
            request["prefetch"]![key] = JsonNode.Parse(resource);
        }
        else
        {
            var entries = request["prefetch"]![key]!["entry"] as JsonArray ?? [];
            request["prefetch"]![key]!["entry"] = entries;
            entries.Add(new JsonObject { ["resource"] = JsonNode.Parse(resource) });
        }

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Empty(CdsResponseValidator.Validate(body));
        // The recorded AVM still makes the esketamine order contraindicated.
        Assert.Contains("contraindication", CardJson.Topics(body));
    }

    [Theory]
    [InlineData("""{"resourceType":"MedicationRequest","id":"d1","status":"draft","intent":"order","medicationReference":{"reference":"#med1"},"contained":[{"resourceType":"Medication","id":"med1","code":{"text":"Spravato 56 mg nasal spray"}}]}""", true)]
    [InlineData("""{"resourceType":"MedicationRequest","id":"d1","status":"draft","intent":"order","medicationReference":{"reference":"#nowhere"}}""", false)]
    [InlineData("""{"resourceType":"MedicationRequest","id":"d1","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm"}]}}""", false)]
    [InlineData("""{"resourceType":"DeviceRequest","id":"d1","status":"draft","intent":"order","codeCodeableConcept":{"text":"ketamine pump"}}""", false)]
    [InlineData("""{"resourceType":"MedicationRequest","id":"d1","status":"weird","intent":7,"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"2119365"}]},"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":"56"}}],"timing":{"repeat":{"frequency":"2"}}}]}""", true)]
    public async Task Odd_draft_orders_are_read_or_ignored_never_fatal(string draft, bool ketamineRecognised)
    {
        var request = Example("order-sign-esketamine.request.json");
        request["context"]!["draftOrders"] = Requests.Bundle(JsonNode.Parse(draft)!.AsObject());

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Empty(CdsResponseValidator.Validate(body));
        Assert.Equal(ketamineRecognised, CardJson.Topics(body).Contains("contraindication"));
    }

    private static JsonObject Example(string file) => JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", file))!.AsObject();
}
