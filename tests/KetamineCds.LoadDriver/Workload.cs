using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KetamineCds.LoadDriver;

/// <summary>
/// Request bodies built from the repository's Synthea depression fixtures: the patient's resources of the types the
/// discovery prefetch templates ask for (observations limited to the template's LOINC codes), as searchset Bundles.
/// </summary>
internal sealed class Workload
{
    private static readonly string[] PrefetchTypes =
        ["Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation", "AllergyIntolerance", "Procedure"];

    private static readonly HashSet<string> ObservationCodes = ["44261-6", "89204-2", "85354-9", "8480-6", "8462-4", "82810-3"];

    private Workload(string patientId, string fixture, JsonObject patient, Dictionary<string, JsonObject> bundles)
    {
        PatientId = patientId;
        Fixture = fixture;
        Patient = patient;
        Bundles = bundles;
    }

    public string PatientId { get; }

    public string Fixture { get; }

    public JsonObject Patient { get; }

    /// <summary>Searchset Bundle per resource type (the fake FHIR server serves these too).</summary>
    public Dictionary<string, JsonObject> Bundles { get; }

    public static string RepositoryRoot() =>
        typeof(Workload).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The depression fixture whose prefetch is closest to <paramref name="targetBytes"/>.</summary>
    public static Workload ClosestTo(int targetBytes)
    {
        var dir = Path.Combine(RepositoryRoot(), "tests", "KetamineCds.Core.Tests", "Fixtures", "synthea", "depression");
        return Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(Load)
            .MinBy(w => Math.Abs(w.PrefetchJson().Length - targetBytes))!;
    }

    private static Workload Load(string file)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var resources = bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).ToList();
        var patient = resources.First(r => (string?)r["resourceType"] == "Patient");
        var id = (string)patient["id"]!;
        var bundles = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var type in PrefetchTypes)
        {
            var entries = new JsonArray();
            foreach (var r in resources.Where(r => (string?)r["resourceType"] == type && (type != "Observation" || HasCode(r))))
            {
                entries.Add(new JsonObject { ["resource"] = Rewrite(r, id) });
            }

            bundles[type] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = entries.Count, ["entry"] = entries };
        }

        return new Workload(id, Path.GetFileName(file), Rewrite(patient, id), bundles);
    }

    private static bool HasCode(JsonObject observation) =>
        observation["code"]?["coding"]?.AsArray().Any(c => ObservationCodes.Contains((string?)c?["code"] ?? "")) == true;

    /// <summary>Synthea links by urn:uuid; an EHR's prefetch links to Patient/{id}. The narrative is dropped as EHRs often do.</summary>
    private static JsonObject Rewrite(JsonObject resource, string patientId)
    {
        var copy = resource.DeepClone().AsObject();
        copy.Remove("text");
        var json = copy.ToJsonString().Replace("urn:uuid:" + patientId, "Patient/" + patientId, StringComparison.Ordinal);
        return JsonNode.Parse(json)!.AsObject();
    }

    public int ResourceCount => 1 + Bundles.Values.Sum(b => (int)b["total"]!);

    public JsonObject Prefetch()
    {
        var prefetch = new JsonObject { ["patient"] = Patient.DeepClone() };
        prefetch["conditions"] = Bundles["Condition"].DeepClone();
        prefetch["medicationRequests"] = Bundles["MedicationRequest"].DeepClone();
        prefetch["medicationStatements"] = Bundles["MedicationStatement"].DeepClone();
        prefetch["medicationDispenses"] = Bundles["MedicationDispense"].DeepClone();
        prefetch["observations"] = Bundles["Observation"].DeepClone();
        prefetch["allergies"] = Bundles["AllergyIntolerance"].DeepClone();
        prefetch["procedures"] = Bundles["Procedure"].DeepClone();
        return prefetch;
    }

    public string PrefetchJson() => Prefetch().ToJsonString();

    public byte[] PatientView() => Body(new JsonObject
    {
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["hook"] = "patient-view",
        ["context"] = new JsonObject { ["userId"] = "Practitioner/load-driver", ["patientId"] = PatientId },
        ["prefetch"] = Prefetch(),
    });

    /// <summary>
    /// patient-view with only the Patient prefetched: the request the CDS Hooks reference service's trivial
    /// patient-greeting answers ("Now seeing: {given name}").
    /// </summary>
    public byte[] Greeting() => Body(new JsonObject
    {
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["hook"] = "patient-view",
        ["context"] = new JsonObject { ["userId"] = "Practitioner/load-driver", ["patientId"] = PatientId },
        ["prefetch"] = new JsonObject { ["patient"] = Patient.DeepClone() },
    });

    /// <summary>order-sign with the esketamine draft of cds-hooks/examples/order-sign-esketamine.request.json.</summary>
    public byte[] OrderSign()
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "cds-hooks", "examples", "order-sign-esketamine.request.json")))!;
        var drafts = example["context"]!["draftOrders"]!.DeepClone();
        var json = drafts.ToJsonString().Replace("Patient/" + (string)example["context"]!["patientId"]!, "Patient/" + PatientId, StringComparison.Ordinal);
        return Body(new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = "order-sign",
            ["context"] = new JsonObject { ["userId"] = "Practitioner/load-driver", ["patientId"] = PatientId, ["draftOrders"] = JsonNode.Parse(json) },
            ["prefetch"] = Prefetch(),
        });
    }

    /// <summary>patient-view without prefetch: the service queries <paramref name="fhirServer"/>.</summary>
    public byte[] Fallback(string fhirServer) => Body(new JsonObject
    {
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["hook"] = "patient-view",
        ["fhirServer"] = fhirServer,
        ["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "load-driver-access-token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/*.read",
            ["subject"] = "ketamine-cds",
        },
        ["context"] = new JsonObject { ["userId"] = "Practitioner/load-driver", ["patientId"] = PatientId },
    });

    private static byte[] Body(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
}
