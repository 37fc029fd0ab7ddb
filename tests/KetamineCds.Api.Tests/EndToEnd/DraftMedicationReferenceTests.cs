using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Contract;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>
/// Draft orders that name their drug by <c>medicationReference</c>, as EHRs send them: a Medication elsewhere in the
/// draftOrders Bundle (by <c>Medication/id</c>, by the entry's fullUrl, absolute or <c>urn:uuid</c>) or contained. The
/// patient (order-sign-esketamine example) has a cerebral AVM: an esketamine order by reference must be contraindicated.
/// </summary>
public sealed class DraftMedicationReferenceTests : IAsyncLifetime
{
    private const string MedicationFullUrl = "https://ehr.example.org/fhir/Medication/eMed.esk56";
    private const string MedicationUuid = "urn:uuid:6a1b0f7e-2c4d-4e8f-9a3b-1c2d3e4f5a6b";

    private ClinicalHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _host = ClinicalHost.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>The Medication as EHRs code it: RxNorm only, no text naming the drug on the order itself.</summary>
    private static JsonObject EsketamineMedication(string id) => new()
    {
        ["resourceType"] = "Medication",
        ["id"] = id,
        ["code"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject
            {
                ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm",
                ["code"] = "2119365",
            }),
        },
    };

    private static JsonObject DraftOrder(string reference, JsonObject? contained = null)
    {
        var order = new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = "eRx.88123",
            ["status"] = "draft",
            ["intent"] = "order",
            ["medicationReference"] = new JsonObject { ["reference"] = reference },
            ["subject"] = new JsonObject { ["reference"] = "Patient/example-trd-2" },
            ["authoredOn"] = "2026-11-27",
            ["dosageInstruction"] = new JsonArray(new JsonObject
            {
                ["text"] = "56 mg intranasally twice weekly",
                ["timing"] = new JsonObject { ["repeat"] = new JsonObject { ["frequency"] = 2, ["period"] = 1, ["periodUnit"] = "wk" } },
                ["doseAndRate"] = new JsonArray(new JsonObject
                {
                    ["doseQuantity"] = new JsonObject { ["value"] = 56, ["unit"] = "mg", ["system"] = "http://unitsofmeasure.org", ["code"] = "mg" },
                }),
            }),
        };
        if (contained is not null)
        {
            order["contained"] = new JsonArray(contained);
        }

        return order;
    }

    private static JsonObject DraftBundle(string reference, string medicationFullUrl, bool medicationEntry = true, JsonObject? contained = null)
    {
        var entries = new JsonArray(new JsonObject
        {
            ["fullUrl"] = "urn:uuid:0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
            ["resource"] = DraftOrder(reference, contained),
        });
        if (medicationEntry)
        {
            entries.Add(new JsonObject { ["fullUrl"] = medicationFullUrl, ["resource"] = EsketamineMedication("eMed.esk56") });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = entries };
    }

    public static TheoryData<string, string> BundleReferences => new()
    {
        { "Medication/eMed.esk56", MedicationFullUrl },
        { MedicationFullUrl, MedicationFullUrl },
        { MedicationUuid, MedicationUuid },
        { "https://ehr.example.org/fhir/Medication/eMed.esk56/_history/2", MedicationFullUrl },
    };

    [Theory]
    [MemberData(nameof(BundleReferences))]
    public async Task Esketamine_order_by_reference_to_a_Medication_in_the_draft_bundle_is_contraindicated_for_a_patient_with_an_AVM(
        string reference, string medicationFullUrl)
    {
        var request = Example();
        request["context"]!["draftOrders"] = DraftBundle(reference, medicationFullUrl);

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Empty(CdsResponseValidator.Validate(body));
        Assert.Contains("contraindication", CardJson.Topics(body));
    }

    [Fact]
    public async Task Contained_Medication_is_resolved_on_order_select()
    {
        var request = Example();
        request["hook"] = "order-select";
        request["context"]!["selections"] = new JsonArray("MedicationRequest/eRx.88123");
        request["context"]!["draftOrders"] = DraftBundle("#m1", MedicationFullUrl, medicationEntry: false, contained: EsketamineMedication("m1"));

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Contains("contraindication", CardJson.Topics(body));
    }

    [Fact]
    public async Task Reference_to_a_Medication_of_the_record_reads_the_record_and_resolves_there()
    {
        var request = Example();
        request["context"]!["draftOrders"] = DraftBundle("Medication/rec-esk", MedicationFullUrl, medicationEntry: false);
        var medicationRequests = request["prefetch"]!["medicationRequests"]!.AsObject();
        var entries = medicationRequests["entry"] as JsonArray ?? [];
        medicationRequests["entry"] = entries;
        entries.Add(new JsonObject
        {
            ["fullUrl"] = "https://ehr.example.org/fhir/Medication/rec-esk",
            ["resource"] = EsketamineMedication("rec-esk"),
            ["search"] = new JsonObject { ["mode"] = "include" },
        });

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Contains("contraindication", CardJson.Topics(body));
    }

    private static JsonObject Example()
        => JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "order-sign-esketamine.request.json"))!.AsObject();
}
