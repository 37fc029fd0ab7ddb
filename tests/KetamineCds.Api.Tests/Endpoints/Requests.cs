using System.Text.Json.Nodes;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>Small, valid request bodies for each hook, to be altered by tests.</summary>
internal static class Requests
{
    public const string ScreeningPath = "/cds-services/ketamine-trd-screening";
    public const string OrderSelectPath = "/cds-services/ketamine-order-select";
    public const string OrderSignPath = "/cds-services/ketamine-order-sign";

    public static JsonObject PatientView(string patientId = "p1") => new()
    {
        ["hook"] = "patient-view",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject { ["userId"] = "Practitioner/dr1", ["patientId"] = patientId },
        ["prefetch"] = EmptyPrefetch(patientId),
    };

    public static JsonObject OrderSign(JsonObject draftOrder, string patientId = "p1") => new()
    {
        ["hook"] = "order-sign",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject
        {
            ["userId"] = "Practitioner/dr1",
            ["patientId"] = patientId,
            ["draftOrders"] = Bundle(draftOrder),
        },
        ["prefetch"] = EmptyPrefetch(patientId),
    };

    public static JsonObject OrderSelect(JsonObject draftOrder, string selection, string patientId = "p1") => new()
    {
        ["hook"] = "order-select",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject
        {
            ["userId"] = "Practitioner/dr1",
            ["patientId"] = patientId,
            ["selections"] = new JsonArray(selection),
            ["draftOrders"] = Bundle(draftOrder),
        },
        ["prefetch"] = EmptyPrefetch(patientId),
    };

    public static JsonObject Bundle(params JsonObject[] resources)
    {
        var entries = new JsonArray();
        foreach (var r in resources)
        {
            entries.Add(new JsonObject { ["resource"] = r });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = entries };
    }

    /// <summary>Every prefetch key answered: the patient, and empty searchsets.</summary>
    public static JsonObject EmptyPrefetch(string patientId) => new()
    {
        ["patient"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = patientId, ["birthDate"] = "1980-01-01" },
        ["conditions"] = EmptySearchset(),
        ["medicationRequests"] = EmptySearchset(),
        ["medicationStatements"] = EmptySearchset(),
        ["medicationDispenses"] = EmptySearchset(),
        ["observations"] = EmptySearchset(),
        ["allergies"] = EmptySearchset(),
        ["procedures"] = EmptySearchset(),
    };

    public static JsonObject EmptySearchset() => new() { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = 0 };

    public static JsonObject MedicationRequest(string id, string rxnorm, string display) => new()
    {
        ["resourceType"] = "MedicationRequest",
        ["id"] = id,
        ["status"] = "draft",
        ["intent"] = "order",
        ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
        ["medicationCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = rxnorm, ["display"] = display }),
            ["text"] = display,
        },
    };
}
