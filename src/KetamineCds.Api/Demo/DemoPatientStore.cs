using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KetamineCds.Api.Demo;

/// <summary>One demo patient as listed on the demo page.</summary>
public sealed record DemoPatientSummary(string Id, string Name, string Gender, string? BirthDate, string Title, bool Synthea);

/// <summary>
/// The demo EHR's in-memory FHIR store, loaded once from the patient bundles embedded in the assembly
/// (<c>Demo/Patients</c>). Synthetic patients' dates are written against <c>anchorDate</c> of <c>index.json</c> and
/// moved forward by (today - anchor) at load, so "recent" blood pressures and "current" orders stay current; the
/// Synthea record is served as copied. Accepted suggestions add resources here.
/// </summary>
internal sealed class DemoPatientStore
{
    private const string ResourcePrefix = "KetamineCds.Demo.Patients.";

    private readonly ConcurrentDictionary<string, PatientData> _patients = new(StringComparer.Ordinal);
    private readonly List<DemoPatientSummary> _summaries = [];

    public DemoPatientStore(TimeProvider time)
    {
        var index = ReadEmbedded("index.json").AsObject();
        var anchor = DateOnly.ParseExact(index["anchorDate"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        foreach (var entry in index["patients"]!.AsArray())
        {
            var bundle = ReadEmbedded(entry!["file"]!.GetValue<string>());
            if (entry["shiftDates"]!.GetValue<bool>())
            {
                ShiftDates(bundle, today.DayNumber - anchor.DayNumber);
            }

            var resources = bundle["entry"]!.AsArray().Select(e => e!["resource"]!.DeepClone().AsObject()).ToList();
            var patient = resources.Single(r => Type(r) == "Patient");
            var id = patient["id"]!.GetValue<string>();
            _patients[id] = new PatientData(resources);
            _summaries.Add(new DemoPatientSummary(
                id,
                DisplayName(patient),
                patient["gender"]?.GetValue<string>() ?? "unknown",
                patient["birthDate"]?.GetValue<string>(),
                entry["title"]!.GetValue<string>(),
                id == entry["id"]!.GetValue<string>() && entry["file"]!.GetValue<string>().StartsWith("synthea", StringComparison.Ordinal)));
        }
    }

    public IReadOnlyList<DemoPatientSummary> Patients => _summaries;

    public bool Exists(string patientId) => _patients.ContainsKey(patientId);

    /// <summary>The patient's resources of one type (clones: callers may not change the store).</summary>
    public IReadOnlyList<JsonObject> Search(string patientId, string resourceType)
    {
        if (!_patients.TryGetValue(patientId, out var data))
        {
            return [];
        }

        lock (data)
        {
            return data.Resources.Where(r => Type(r) == resourceType).Select(r => r.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>One resource by type and id, with the patient it belongs to.</summary>
    public (string PatientId, JsonObject Resource)? Read(string resourceType, string id)
    {
        foreach (var (patientId, data) in _patients)
        {
            lock (data)
            {
                var hit = data.Resources.FirstOrDefault(r => Type(r) == resourceType && r["id"]?.GetValue<string>() == id);
                if (hit is not null)
                {
                    return (patientId, hit.DeepClone().AsObject());
                }
            }
        }

        return null;
    }

    /// <summary>Adds a resource (a new id is assigned); returns its reference.</summary>
    public string Create(string patientId, JsonObject resource)
    {
        var data = _patients[patientId];
        var id = "demo-" + Guid.NewGuid().ToString("N")[..12];
        var copy = resource.DeepClone().AsObject();
        copy["id"] = id;
        lock (data)
        {
            data.Resources.Add(copy);
        }

        return $"{Type(copy)}/{id}";
    }

    /// <summary>Removes a resource of this patient by "Type/id"; false when there is none.</summary>
    public bool Delete(string patientId, string reference)
    {
        var data = _patients[patientId];
        lock (data)
        {
            return data.Resources.RemoveAll(r => $"{Type(r)}/{r["id"]?.GetValue<string>()}" == reference) > 0;
        }
    }

    internal static string? Type(JsonObject resource) => resource["resourceType"]?.GetValue<string>();

    private static string DisplayName(JsonObject patient)
    {
        var name = patient["name"]?.AsArray().FirstOrDefault()?.AsObject();
        var given = name?["given"]?.AsArray().Select(g => g?.GetValue<string>()).FirstOrDefault() ?? "";
        var family = name?["family"]?.GetValue<string>() ?? "";
        return $"{given} {family}".Trim();
    }

    private static JsonNode ReadEmbedded(string file)
    {
        using var stream = typeof(DemoPatientStore).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"Demo patient file '{file}' is not embedded.");
        return JsonNode.Parse(stream) ?? throw new InvalidOperationException($"Demo patient file '{file}' is empty.");
    }

    /// <summary>Moves every FHIR date and dateTime (a string starting yyyy-MM-dd) by <paramref name="days"/>.</summary>
    internal static void ShiftDates(JsonNode node, int days)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String && TryShift(value.GetValue<string>(), days, out var shifted))
                    {
                        obj[key] = shifted;
                    }
                    else if (child is not null)
                    {
                        ShiftDates(child, days);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        ShiftDates(child, days);
                    }
                }

                break;
        }
    }

    private static bool TryShift(string text, int days, out string shifted)
    {
        shifted = text;
        if (text.Length < 10 || text.Length > 30 || text[4] != '-' || text[7] != '-'
            || !DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        shifted = date.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + text[10..];
        return true;
    }

    private sealed record PatientData(List<JsonObject> Resources);
}
