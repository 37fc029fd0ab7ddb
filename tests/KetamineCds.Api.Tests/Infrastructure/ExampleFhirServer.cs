using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Infrastructure;

/// <summary>Makes a WireMock server answer like the EHR's FHIR server from a CDS Hooks prefetch object.</summary>
public static class ExampleFhirServer
{
    /// <summary>The search kinds of the discovery prefetch: prefetch key and the resource type searched by patient.</summary>
    public static IReadOnlyDictionary<string, string> SearchKinds { get; } = new Dictionary<string, string>
    {
        ["conditions"] = "Condition",
        ["medicationRequests"] = "MedicationRequest",
        ["medicationStatements"] = "MedicationStatement",
        ["medicationDispenses"] = "MedicationDispense",
        ["observations"] = "Observation",
        ["allergies"] = "AllergyIntolerance",
        ["procedures"] = "Procedure",
    };

    /// <summary>
    /// Serves each prefetch value at the path its template queries under <c>/fhir</c>: <c>Patient/{id}</c> and
    /// <c>{Type}?patient={id}</c> for every search kind.
    /// </summary>
    public static void Serve(WireMockServer server, JsonObject prefetch, string patientId)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(prefetch);
        server.Given(Request.Create().WithPath("/fhir/Patient/" + patientId).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(prefetch["patient"]!.ToJsonString()));
        foreach (var (key, type) in SearchKinds)
        {
            server.Given(Request.Create().WithPath("/fhir/" + type).WithParam("patient", patientId).UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(prefetch[key]!.ToJsonString()));
        }
    }

    /// <summary><see cref="Serve"/> with the prefetch of <c>cds-hooks/examples/patient-view-trd.request.json</c>.</summary>
    public static void ServeExamplePatient(WireMockServer server, string patientId)
        => Serve(server, JsonNode.Parse(Endpoints.RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!["prefetch"]!.AsObject(), patientId);
}
