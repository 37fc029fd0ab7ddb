using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Synthea;
using KetamineCds.Fhir;
using KetamineCds.Fhir.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>
/// The data layer reads the engine's resource types straight from the JSON, keeping only the elements the rules read
/// (docs/performance.md). These tests hold it to full Firely parsing: every clinical scenario and every Synthea fixture,
/// written as FHIR JSON and sent as prefetch, must get exactly the answer the engine gives on the Firely POCOs; and so
/// must every hostile variant of the scenarios' resources (each element in turn given the wrong JSON type or shape, an
/// unknown code, an out-of-range number), compared with what <see cref="FhirResourceParser"/> (Firely, recoverable,
/// repaired) makes of the same JSON.
/// </summary>
public sealed class ScenariosThroughJsonTests
{
    private static readonly Lazy<IClinicalEngine> Engine = new(() => ClinicalEngineFactory.Create(new ClinicalOptions()));

    private static readonly Lazy<IPatientDataProvider> DataLayer = new(() =>
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddKetamineCdsFhir();
        return services.BuildServiceProvider().GetRequiredService<IPatientDataProvider>();
    });

    /// <summary>Where each resource type travels in the prefetch (Medications with the requests that name them).</summary>
    private static readonly Dictionary<string, string> KeyOf = new(StringComparer.Ordinal)
    {
        ["Patient"] = "patient",
        ["Condition"] = "conditions",
        ["MedicationRequest"] = "medicationRequests",
        ["Medication"] = "medicationRequests",
        ["MedicationStatement"] = "medicationStatements",
        ["MedicationDispense"] = "medicationDispenses",
        ["Observation"] = "observations",
        ["AllergyIntolerance"] = "allergies",
        ["Procedure"] = "procedures",
    };

    public static TheoryData<string> ScenarioNames => new(ScenarioCatalog.All.Select(s => s.Name));

    public static TheoryData<string> BundleFiles => new(SyntheaBundles.Files);

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_sent_as_prefetch_json_gets_the_answer_the_engine_gives_on_the_firely_resources(string name)
    {
        var scenario = ScenarioCatalog.ByName[name];
        var expected = Fingerprint(Evaluate(scenario.Hook, PatientRecord.FromResources(scenario.Resources), scenario.Unavailable));

        var json = scenario.Resources.Select(r => JsonNode.Parse(r.ToJson())!.AsObject()).ToList();
        var actual = Fingerprint(Evaluate(scenario.Hook, await ThroughDataLayerAsync(json, PatientIdOf(scenario)), scenario.Unavailable));

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(BundleFiles))]
    public async Task Synthea_record_sent_as_prefetch_json_gets_the_answer_the_engine_gives_on_the_firely_bundle(string file)
    {
        var bundle = SyntheaBundles.Load(file);
        var draft = Hooks.Sign(Hooks.EsketamineDraft());
        var viaFirely = PatientRecord.FromResources([bundle]);

        var entries = JsonNode.Parse(File.ReadAllText(Path.Combine(SyntheaBundles.Folder, file)))!["entry"]!.AsArray()
            .Select(e => e!["resource"]!.AsObject()).Where(r => KeyOf.ContainsKey(Type(r))).ToList();
        var patientId = entries.First(r => Type(r) == "Patient")["id"]!.GetValue<string>();
        var viaJson = await ThroughDataLayerAsync(entries, patientId);

        Assert.True(viaJson.Conditions.Count + viaJson.Observations.Count + viaJson.MedicationRequests.Count > 0, file);
        Assert.Equal(Fingerprint(Evaluate(HookInput.PatientView, viaFirely, Empty)), Fingerprint(Evaluate(HookInput.PatientView, viaJson, Empty)));
        Assert.Equal(Fingerprint(Evaluate(draft, viaFirely, Empty)), Fingerprint(Evaluate(draft, viaJson, Empty)));
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Every_hostile_variant_of_a_scenario_reads_as_firely_reads_it(string name)
    {
        var scenario = ScenarioCatalog.ByName[name];
        var originals = scenario.Resources.Select(r => JsonNode.Parse(r.ToJson())!.AsObject()).ToList();
        var differences = new List<string>();
        var variants = 0;
        for (var index = 0; index < originals.Count; index++)
        {
            foreach (var (path, mutated) in Mutations(originals[index]))
            {
                variants++;
                var resources = originals.Select((r, i) => i == index ? mutated : r).ToList();
                var viaFirely = PatientRecord.FromResources(resources.Select(ParseWithFirely).OfType<Resource>());
                var viaReader = await ThroughDataLayerAsync(resources, PatientIdOf(scenario));
                var expected = Fingerprint(Evaluate(scenario.Hook, viaFirely, scenario.Unavailable));
                var actual = Fingerprint(Evaluate(scenario.Hook, viaReader, scenario.Unavailable));
                if (expected != actual)
                {
                    differences.Add($"{Type(originals[index])} {path}: {mutated.ToJsonString()}\n  firely: {expected}\n  reader: {actual}");
                }
            }
        }

        Assert.True(variants > 0 || originals.Count == 0, "no variant was made");
        Assert.True(differences.Count == 0, $"{differences.Count} of {variants} variants differ:\n" + string.Join("\n", differences.Take(5)));
    }

    private static readonly HashSet<PatientDataKind> Empty = [];

    private static EvaluationOutcome Evaluate(HookInput hook, PatientRecord record, IReadOnlySet<PatientDataKind> unavailable) =>
        Engine.Value.Evaluate(new EvaluationRequest(hook, record, ScenarioClock.Now) { UnavailableData = unavailable, IncludeDetails = true });

    private static Resource? ParseWithFirely(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        return FhirResourceParser.TryParse(document.RootElement, out var resource) ? resource : null;
    }

    /// <summary>The resources as the EHR would prefetch them: one searchset Bundle per key (Patient on its own), every key present.</summary>
    private static async Task<PatientRecord> ThroughDataLayerAsync(IReadOnlyList<JsonObject> resources, string? patientId)
    {
        var bundles = KeyOf.Values.Distinct(StringComparer.Ordinal).Where(k => k != "patient")
            .ToDictionary(k => k, _ => new JsonArray(), StringComparer.Ordinal);
        JsonObject? patient = null;
        foreach (var resource in resources)
        {
            if (Type(resource) == "Patient")
            {
                patient ??= resource;
            }
            else
            {
                bundles[KeyOf.GetValueOrDefault(Type(resource), "conditions")].Add(new JsonObject { ["resource"] = resource.DeepClone() });
            }
        }

        var prefetch = new JsonObject { ["patient"] = patient?.DeepClone() };
        foreach (var (key, entries) in bundles)
        {
            prefetch[key] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = entries };
        }

        using var document = JsonDocument.Parse(prefetch.ToJsonString());
        var values = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => KetamineCds.Fhir.Parsing.PrefetchValue.From(p.Value), StringComparer.Ordinal);
        var result = await DataLayer.Value.GetPatientDataAsync(
            new HookDataRequest
            {
                HookInstance = "scenario-through-json",
                PrefetchTokens = patientId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["context.patientId"] = patientId },
                PatientId = patientId,
                Prefetch = values,
            },
            TestContext.Current.CancellationToken);
        return result.Record;
    }

    private static string? PatientIdOf(ClinicalScenario scenario) =>
        scenario.Hook.PatientId ?? scenario.Resources.OfType<Patient>().FirstOrDefault()?.Id;

    private static string Type(JsonObject resource) => resource["resourceType"]?.GetValue<string>() ?? string.Empty;

    /// <summary>Everything the answer is made of except the fresh card uuids.</summary>
    private static string Fingerprint(EvaluationOutcome outcome)
    {
        var cards = outcome.Cards.Select(c => new
        {
            c.Summary,
            c.Detail,
            c.ShortDetail,
            c.Indicator,
            Topic = c.Source.Topic?.Code,
            Suggestions = c.Suggestions?.Select(s => new
            {
                s.Label,
                s.IsRecommended,
                Actions = s.Actions?.Select(a => new { a.Type, a.Description, Resource = a.Resource?.ToJson(), a.ResourceId }),
            }),
            Links = c.Links?.Select(l => l.Url),
            Overrides = c.OverrideReasons?.Select(o => o.Code),
        });
        return JsonSerializer.Serialize(new { cards, outcome.RequiredDataMissing, outcome.MissingData, outcome.Assessment });
    }

    /// <summary>
    /// One variant per element (a path into the resource): the element replaced by a value of the wrong JSON type or
    /// shape, an unknown code / unparsable date, or a number out of range. resourceType is left alone.
    /// </summary>
    private static IEnumerable<(string Path, JsonObject Variant)> Mutations(JsonObject resource)
    {
        var paths = new List<(string Path, JsonNode Node)>();
        Collect(resource, "$", paths);
        foreach (var (path, node) in paths)
        {
            foreach (var replacement in Replacements(node))
            {
                var variant = resource.DeepClone().AsObject();
                Replace(variant, path, replacement);
                yield return (path, variant);
            }
        }
    }

    private static void Collect(JsonNode node, string path, List<(string, JsonNode)> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    // resourceType stays; a Patient's id is the hook patient's identity, which the data layer checks
                    // on purpose (PatientIdentityTests), unlike the bare parser.
                    if (key != "resourceType" && !(path == "$" && key == "id" && obj["resourceType"]?.GetValue<string>() == "Patient") && child is not null)
                    {
                        paths.Add(($"{path}.{key}", child));
                        Collect(child, $"{path}.{key}", paths);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        paths.Add(($"{path}[{i}]", item));
                        Collect(item, $"{path}[{i}]", paths);
                    }
                }

                break;
        }
    }

    private static IEnumerable<JsonNode?> Replacements(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => [JsonValue.Create(42), JsonValue.Create("bogus-2026-13-45")],
        JsonValueKind.Number => [JsonValue.Create("12"), JsonNode.Parse("1e40"), JsonValue.Create(2.5m)],
        JsonValueKind.True or JsonValueKind.False => [JsonValue.Create("true")],
        JsonValueKind.Object => [JsonValue.Create("x"), new JsonArray(node.DeepClone()), null],
        JsonValueKind.Array => [((JsonArray)node).FirstOrDefault()?.DeepClone() ?? new JsonObject(), JsonValue.Create("x"), new JsonArray(JsonValue.Create(1))],
        _ => [],
    };

    private static void Replace(JsonObject root, string path, JsonNode? replacement)
    {
        var target = root.Root.AsObject();
        var node = JsonNodeAt(target, path);
        switch (node.Parent)
        {
            case JsonObject parent:
                parent[node.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[node.GetElementIndex()] = replacement;
                break;
        }
    }

    private static JsonNode JsonNodeAt(JsonObject root, string path)
    {
        JsonNode current = root;
        foreach (var segment in path[1..].Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            current = current[name]!;
            for (var rest = bracket < 0 ? string.Empty : segment[bracket..]; rest.Length > 0;)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                current = current[int.Parse(rest[1..close], System.Globalization.CultureInfo.InvariantCulture)]!;
                rest = rest[(close + 1)..];
            }
        }

        return current;
    }
}
