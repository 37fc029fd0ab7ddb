using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using KetamineCds.Core.Model;
using KetamineCds.Fhir.Parsing;
using KetamineCds.Fhir.Prefetch;

namespace KetamineCds.Fhir.Tests.Support;

/// <summary>
/// One synthetic patient with data for every prefetch key (test data only, not clinical content), the prefetch the
/// EHR would send for it, and the JSON its FHIR server would answer.
/// </summary>
internal static class TestPatient
{
    public const string Id = "pat-1";
    public const string AccessToken = "tok-3f9c2e-very-secret";

    public static IReadOnlyDictionary<string, string> Tokens { get; } = new Dictionary<string, string>
    {
        ["context.patientId"] = Id,
        ["context.userId"] = "Practitioner/dr-1",
        ["userPractitionerId"] = "dr-1",
    };

    public static Patient Patient() => new() { Id = Id, BirthDate = "1980-04-02", Gender = AdministrativeGender.Female };

    public static Condition Condition(string id) => new()
    {
        Id = id,
        Subject = new ResourceReference("Patient/" + Id),
        Code = new CodeableConcept { Text = "Test condition " + id },
    };

    public static Observation Observation(string id) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Subject = new ResourceReference("Patient/" + Id),
        Code = new CodeableConcept { Text = "Test observation " + id },
        Value = new Quantity(12, "{score}"),
    };

    /// <summary>Per prefetch key: a Patient for <c>patient</c>, a searchset Bundle for every other key.</summary>
    public static Resource ValueFor(string key) => key switch
    {
        "patient" => Patient(),
        "conditions" => Searchset(Condition("c1"), Condition("c2")),
        "medicationRequests" => Searchset(
            new MedicationRequest
            {
                Id = "mr1",
                Status = MedicationRequest.MedicationrequestStatus.Active,
                Intent = MedicationRequest.MedicationRequestIntent.Order,
                Subject = new ResourceReference("Patient/" + Id),
                Medication = new ResourceReference("Medication/med1"),
            },
            new Medication { Id = "med1", Code = new CodeableConcept { Text = "Test medication" } }),
        "medicationStatements" => Searchset(new MedicationStatement
        {
            Id = "ms1",
            Status = MedicationStatement.MedicationStatusCodes.Active,
            Subject = new ResourceReference("Patient/" + Id),
            Medication = new CodeableConcept { Text = "Test statement medication" },
        }),
        "medicationDispenses" => Searchset(new MedicationDispense
        {
            Id = "md1",
            Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
            Subject = new ResourceReference("Patient/" + Id),
            Medication = new CodeableConcept { Text = "Test dispensed medication" },
        }),
        "observations" => Searchset(Observation("o1"), Observation("o2")),
        "allergies" => Searchset(new AllergyIntolerance { Id = "a1", Patient = new ResourceReference("Patient/" + Id) }),
        "procedures" => Searchset(new Procedure
        {
            Id = "p1",
            Status = EventStatus.Completed,
            Subject = new ResourceReference("Patient/" + Id),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown prefetch key"),
    };

    public static Bundle Searchset(params Resource[] resources) => new()
    {
        Type = Bundle.BundleType.Searchset,
        Total = resources.Length,
        Entry = resources.Select(r => new Bundle.EntryComponent
        {
            FullUrl = $"https://ehr.test/fhir/{r.TypeName}/{r.Id}",
            Resource = r,
        }).ToList(),
    };

    public static string Json(Resource resource) => FhirJsonSerializer.Default.SerializeToString(resource);

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement Element(Resource resource) => Element(Json(resource));

    /// <summary>The full prefetch the EHR would send, optionally with some keys removed or replaced.</summary>
    public static Dictionary<string, JsonElement> Prefetch(params string[] keys)
    {
        var selected = keys.Length == 0 ? PrefetchTemplates.All.Select(t => t.Key) : keys;
        return selected.ToDictionary(k => k, k => Element(ValueFor(k)));
    }

    public static HookDataRequest Request(
        Uri? fhirServer,
        IReadOnlyDictionary<string, JsonElement>? prefetch = null,
        string? accessToken = AccessToken,
        IReadOnlyList<Uri>? allowed = null,
        IReadOnlyDictionary<string, string>? tokens = null) => new()
    {
        HookInstance = "hook-" + Guid.NewGuid().ToString("N"),
        PrefetchTokens = tokens ?? Tokens,
        Prefetch = prefetch?.ToDictionary(p => p.Key, p => PrefetchValue.From(p.Value), StringComparer.Ordinal),
        FhirServer = fhirServer,
        AccessToken = accessToken,
        AllowedFhirServers = allowed ?? (fhirServer is null ? [] : [fhirServer]),
    };

    /// <summary>All kinds, for "everything unavailable" assertions.</summary>
    public static IReadOnlySet<PatientDataKind> AllKinds { get; } = Enum.GetValues<PatientDataKind>().ToHashSet();

    /// <summary>A comparable rendering of a record: every list serialized in order, plus the Medication index keys.</summary>
    public static string Snapshot(PatientRecord record)
    {
        var parts = new List<string> { record.Patient is null ? "no patient" : Json(record.Patient) };
        parts.AddRange(record.Conditions.Select(Json));
        parts.AddRange(record.MedicationRequests.Select(Json));
        parts.AddRange(record.MedicationStatements.Select(Json));
        parts.AddRange(record.MedicationDispenses.Select(Json));
        parts.AddRange(record.Observations.Select(Json));
        parts.AddRange(record.Allergies.Select(Json));
        parts.AddRange(record.Procedures.Select(Json));
        parts.AddRange(record.Medications.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Key + "=" + Json(m.Value)));
        return string.Join('\n', parts);
    }
}
