using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KetamineCds.BrowserTests;

/// <summary>
/// Every shipped demo patient, opened and ordered for as the demo EHR does (signed JWT, HTTP to the service's own
/// endpoints, real engine), gets its intended cards.
/// </summary>
public sealed class DemoPatientCardsTests(DemoServer server) : IClassFixture<DemoServer>
{
    private const string SyntheaPatient = "8adf7251-257f-4b45-8ef5-0a6b3b9fe0ef";

    public static TheoryData<string, string, string> Expected => new()
    {
        // patient, patient-view cards (topic/indicator), order-sign esketamine cards
        { "demo-trd-candidate", "trd-candidate/info", "" },
        { "demo-trd-avm", "trd-candidate/warning", "contraindication/critical" },
        { "demo-trd-benzo-opioid", "trd-candidate/info", "drug-interaction/warning drug-interaction/warning" },
        { "demo-trd-possible", "trd-possible/info", "" },
        { "demo-one-trial", "", "indication-not-documented/warning" },
        { "demo-bipolar", "", "indication-not-documented/warning precaution/warning" },
        { "demo-pregnant", "trd-candidate/info", "precaution/warning" },
        { "demo-high-bp", "trd-candidate/info", "blood-pressure/warning" },
        { "demo-under-18", "trd-candidate/info", "precaution/warning" },
        { "demo-on-esketamine", "drug-interaction/warning", "drug-interaction/warning" },
        { "demo-hostile-text", "trd-candidate/info", "" },
        { SyntheaPatient, "", "blood-pressure/info indication-not-documented/warning" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Each_patient_gets_its_intended_cards(string patientId, string patientView, string orderSign)
    {
        var view = await PostAsync($"/demo/api/patients/{patientId}/open?prefetch=true", null);
        Assert.Equal(200, view["httpStatus"]!.GetValue<int>());
        Assert.Equal(patientView, Topics(view));

        var sign = await PostAsync($"/demo/api/patients/{patientId}/orders", new { kind = "esketamine", sign = true });
        Assert.Equal(200, sign["httpStatus"]!.GetValue<int>());
        Assert.Equal(orderSign, Topics(sign));
    }

    [Fact]
    public async Task Every_listed_patient_has_an_expectation_and_there_are_at_least_ten()
    {
        var patients = await server.Http.GetFromJsonAsync<JsonArray>("/demo/api/patients", TestContext.Current.CancellationToken);
        var ids = patients!.Select(p => p!["id"]!.GetValue<string>()).Order().ToList();
        Assert.True(ids.Count >= 11);
        Assert.Equal(Expected.Select(row => (string)row.Data.Item1).Order(), ids);
    }

    [Fact]
    public async Task Without_prefetch_the_service_reads_the_demo_fhir_server_and_gives_the_same_cards()
    {
        var view = await PostAsync("/demo/api/patients/demo-trd-avm/open?prefetch=false", null);
        Assert.False(view["prefetch"]!.GetValue<bool>());
        Assert.Equal("trd-candidate/warning", Topics(view));
    }

    [Fact]
    public async Task The_demo_fhir_server_needs_a_demo_token()
    {
        using var response = await server.Http.GetAsync("/demo/fhir/Condition?patient=demo-trd-avm", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Interacting_drug_ordered_for_the_patient_on_esketamine_is_flagged_at_selection()
    {
        var select = await PostAsync("/demo/api/patients/demo-on-esketamine/orders", new { kind = "lorazepam", sign = false });
        Assert.Equal("order-select", select["hook"]!.GetValue<string>());
        Assert.Contains("drug-interaction/", Topics(select), StringComparison.Ordinal);
    }

    private async Task<JsonNode> PostAsync(string path, object? body)
    {
        using var response = body is null
            ? await server.Http.PostAsync(path, null, TestContext.Current.CancellationToken)
            : await server.Http.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }

    private static string Topics(JsonNode result)
        => string.Join(' ', result["cards"]!.AsArray().Select(c => $"{c!["topic"]}/{c["indicator"]}").Order(StringComparer.Ordinal));
}
