using System.Net;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Contract;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// Replays the public CDS Hooks example payloads (Fixtures/cds-hooks-examples, see its README): valid requests
/// are accepted (never 400/500), the invalid ones get a clean 400.
/// </summary>
public sealed class ExampleReplayTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    private readonly CdsHost _host = fixture.Host;

    public static TheoryData<string, string, int> Replays => new()
    {
        // No ketamine-relevant draft order: answered without patient data.
        { "20-order-select-request-radiology.json", Requests.OrderSelectPath, 200 },
        { "22-order-sign-request-full-inferno.json", Requests.OrderSignPath, 200 },
        // patient-view whose prefetch has none of our keys and whose fhirServer (http, not allow-listed) may not be called:
        // the data cannot be had, which CDS Hooks answers with 412.
        { "02-patient-view-request.json", Requests.ScreeningPath, 412 },
        // Invalid by the spec (README): context without patientId.
        { "18-request-with-extension.json", Requests.ScreeningPath, 400 },
        // Invalid: ids with U+2011 / U+202F are not FHIR ids.
        { "04-order-sign-request-with-pagination.json", Requests.OrderSignPath, 400 },
        // Hooks our services are not registered for.
        { "23-encounter-start-request-inferno.json", Requests.ScreeningPath, 400 },
        { "24-appointment-book-request-inferno.json", Requests.OrderSignPath, 400 },
    };

    [Theory]
    [MemberData(nameof(Replays))]
    public async Task Example_request_gets_the_expected_status(string file, string path, int expected)
    {
        using var response = await _host.PostAsync(path, RepoFiles.Example(file), cancellationToken: TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(expected == (int)response.StatusCode, $"{file}: expected {expected}, got {(int)response.StatusCode}: {body}");
        if (expected == 200)
        {
            Assert.Empty(CdsResponseValidator.Validate(body));
        }
    }

    [Theory]
    [InlineData("03-order-sign-context-r4.json", Requests.OrderSignPath, "order-sign")]
    [InlineData("05-order-select-context-r4.json", Requests.OrderSelectPath, "order-select")]
    public async Task Hook_library_contexts_without_Bundle_type_are_accepted(string file, string path, string hook)
    {
        var request = JsonNode.Parse(RepoFiles.Example(file))!.AsObject();
        request["hook"] = hook;
        request["hookInstance"] = Guid.NewGuid().ToString();

        using var response = await _host.PostAsync(path, request.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(CdsResponseValidator.Validate(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Prefetch_with_a_bare_string_under_a_key_this_service_never_asks_for_is_ignored()
    {
        // The example's "user": "123" and "hemoglobin-a1c" are not this service's prefetch keys: not ours to judge (a
        // bare string under a key it does ask for is a 400: ServiceRequestValidationTests). Its own keys are missing and
        // there is no fhirServer: 412, the answer for data the rules need and cannot get.
        var request = Requests.PatientView();
        request["prefetch"] = JsonNode.Parse(RepoFiles.Example("16-prefetch-data.json"))!["prefetch"]!.DeepClone();

        using var response = await _host.PostAsync(Requests.ScreeningPath, request.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.DoesNotContain(await ServiceRequestValidationTests.Diagnostics(response), d => d.Contains("prefetch.user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spec_fhirAuthorization_object_is_accepted()
    {
        var request = Requests.PatientView();
        request["fhirServer"] = "https://ehr.example.org/fhir";
        request["fhirAuthorization"] = JsonNode.Parse(RepoFiles.Example("17-fhirAuthorization.json"))!["fhirAuthorization"]!.DeepClone();

        using var response = await _host.PostAsync(Requests.ScreeningPath, request.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
