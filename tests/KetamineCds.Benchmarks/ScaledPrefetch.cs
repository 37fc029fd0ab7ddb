using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Fhir.Prefetch;

namespace KetamineCds.Benchmarks;

/// <summary>
/// A prefetch of <c>n</c> resources for one patient, grown from the load driver's typical Synthea depression patient
/// (<c>tests/KetamineCds.Core.Tests/Fixtures/synthea/depression</c>; living: the larger fixtures' patients are deceased,
/// and the engine answers a deceased patient without evaluating anything): its resources of the types the discovery
/// prefetch templates ask for (observations limited to the templates' query codes), replicated with fresh ids and dates
/// shifted back 7 days per copy, so the record grows in length of history, not in duplicates. Same patient throughout.
/// </summary>
public static class ScaledPrefetch
{
    private const string Fixture = "Eliseo_Cummings_55c373ad-af55-46ed-8f69-9c7a40a89d46.json";

    private static readonly (string Key, string Type)[] Keys =
    [
        ("conditions", "Condition"), ("medicationRequests", "MedicationRequest"), ("medicationStatements", "MedicationStatement"),
        ("medicationDispenses", "MedicationDispense"), ("observations", "Observation"), ("allergies", "AllergyIntolerance"),
        ("procedures", "Procedure"),
    ];

    /// <summary>The LOINC codes of the observations template (one source of truth: <see cref="PrefetchTemplates.ObservationCodes"/>).</summary>
    private static readonly HashSet<string> ObservationCodes = PrefetchTemplates.ObservationCodes.Split(',')
        .Select(c => c[(c.IndexOf('|', StringComparison.Ordinal) + 1)..]).ToHashSet(StringComparer.Ordinal);

    /// <summary>The patient id of the fixture (the hook's <c>context.patientId</c>).</summary>
    public static string PatientId => FixtureResources.Value.PatientId;

    private static readonly Lazy<(string PatientId, List<JsonObject> Resources)> FixtureResources = new(LoadFixture);

    /// <summary>UTF-8 JSON of the whole <c>prefetch</c> object with <paramref name="resources"/> resources (Patient included).</summary>
    public static byte[] Build(int resources)
    {
        var all = FixtureResources.Value.Resources;
        var patient = all.First(r => (string?)r["resourceType"] == "Patient");
        var pool = all.Where(r => Keys.Any(k => k.Type == (string?)r["resourceType"])
                                  && ((string?)r["resourceType"] != "Observation" || HasTemplateCode(r))).ToList();

        var entries = Keys.ToDictionary(k => k.Type, _ => new JsonArray(), StringComparer.Ordinal);
        for (var i = 0; i < resources - 1; i++)
        {
            var copy = i / pool.Count;
            var resource = pool[i % pool.Count].DeepClone().AsObject();
            if (copy > 0)
            {
                resource["id"] = $"{(string?)resource["id"]}-c{copy.ToString(CultureInfo.InvariantCulture)}";
                ShiftDates(resource, TimeSpan.FromDays(-7 * copy));
            }

            entries[(string)resource["resourceType"]!].Add(new JsonObject { ["resource"] = resource });
        }

        var prefetch = new JsonObject { ["patient"] = patient.DeepClone() };
        foreach (var (key, type) in Keys)
        {
            prefetch[key] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = entries[type].Count, ["entry"] = entries[type] };
        }

        return JsonSerializer.SerializeToUtf8Bytes(prefetch);
    }

    private static (string PatientId, List<JsonObject> Resources) LoadFixture()
    {
        var root = typeof(ScaledPrefetch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var path = Path.Combine(root, "tests", "KetamineCds.Core.Tests", "Fixtures", "synthea", "depression", Fixture);
        // Synthea links by urn:uuid; an EHR's prefetch links to Patient/{id}. The narrative is dropped as EHRs often do.
        var text = File.ReadAllText(path);
        var id = (string)JsonNode.Parse(text)!["entry"]!.AsArray().Select(e => e!["resource"]!).First(r => (string?)r["resourceType"] == "Patient")["id"]!;
        text = text.Replace("urn:uuid:" + id, "Patient/" + id, StringComparison.Ordinal);
        var resources = JsonNode.Parse(text)!["entry"]!.AsArray().Select(e =>
        {
            var resource = e!["resource"]!.AsObject();
            resource.Remove("text");
            return resource;
        }).ToList();
        return (id, resources);
    }

    private static bool HasTemplateCode(JsonObject observation) =>
        observation["code"]?["coding"]?.AsArray().Any(c => ObservationCodes.Contains((string?)c?["code"] ?? "")) == true;

    /// <summary>Shifts every FHIR date/dateTime/instant string (<c>yyyy-MM-dd...</c>) by <paramref name="by"/>, keeping its precision and offset.</summary>
    private static void ShiftDates(JsonNode node, TimeSpan by)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var s) && TryShift(s, by, out var shifted))
                    {
                        o[name] = shifted;
                    }
                    else if (child is not null)
                    {
                        ShiftDates(child, by);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    if (child is not null)
                    {
                        ShiftDates(child, by);
                    }
                }

                break;
        }
    }

    private static bool TryShift(string value, TimeSpan by, out string shifted)
    {
        shifted = value;
        if (value.Length < 10 || value[4] != '-' || value[7] != '-' || (value.Length > 10 && value[10] != 'T')
            || !DateOnly.TryParseExact(value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        shifted = date.AddDays(by.Days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + value[10..];
        return true;
    }
}
