using Hl7.Fhir.Model;

namespace KetamineCds.Core.Model;

/// <summary>
/// The patient's FHIR R4 resources as the engine sees them, grouped by type.
/// Build it with <see cref="FromResources"/>: Bundles are flattened and standalone
/// Medication resources are indexed for <c>medicationReference</c> resolution.
/// </summary>
public sealed class PatientRecord
{
    public static PatientRecord Empty { get; } = new();

    public Patient? Patient { get; init; }
    public IReadOnlyList<Condition> Conditions { get; init; } = [];
    public IReadOnlyList<MedicationRequest> MedicationRequests { get; init; } = [];
    public IReadOnlyList<MedicationStatement> MedicationStatements { get; init; } = [];
    public IReadOnlyList<MedicationDispense> MedicationDispenses { get; init; } = [];
    public IReadOnlyList<Observation> Observations { get; init; } = [];
    public IReadOnlyList<AllergyIntolerance> Allergies { get; init; } = [];
    public IReadOnlyList<Procedure> Procedures { get; init; } = [];

    /// <summary>Medication resources keyed by every name a reference may use: <c>Medication/{id}</c> and the Bundle entry's fullUrl.</summary>
    public IReadOnlyDictionary<string, Medication> Medications { get; init; } = new Dictionary<string, Medication>(StringComparer.Ordinal);

    /// <summary>Groups resources (Bundles are flattened, entries' fullUrls kept for reference lookup).</summary>
    public static PatientRecord FromResources(IEnumerable<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var builder = new Builder();
        foreach (var resource in resources)
        {
            builder.Add(resource, fullUrl: null);
        }

        return builder.Build();
    }

    private sealed class Builder
    {
        private Patient? _patient;
        private readonly List<Condition> _conditions = [];
        private readonly List<MedicationRequest> _requests = [];
        private readonly List<MedicationStatement> _statements = [];
        private readonly List<MedicationDispense> _dispenses = [];
        private readonly List<Observation> _observations = [];
        private readonly List<AllergyIntolerance> _allergies = [];
        private readonly List<Procedure> _procedures = [];
        private readonly Dictionary<string, Medication> _medications = new(StringComparer.Ordinal);

        public void Add(Resource? resource, string? fullUrl)
        {
            switch (resource)
            {
                case null:
                    return;
                case Bundle bundle:
                    foreach (var entry in bundle.Entry)
                    {
                        Add(entry.Resource, entry.FullUrl);
                    }

                    return;
                case Patient p:
                    _patient ??= p;
                    return;
                case Condition c:
                    _conditions.Add(c);
                    return;
                case MedicationRequest r:
                    _requests.Add(r);
                    return;
                case MedicationStatement s:
                    _statements.Add(s);
                    return;
                case MedicationDispense d:
                    _dispenses.Add(d);
                    return;
                case Observation o:
                    _observations.Add(o);
                    return;
                case AllergyIntolerance a:
                    _allergies.Add(a);
                    return;
                case Procedure pr:
                    _procedures.Add(pr);
                    return;
                case Medication m:
                    if (!string.IsNullOrEmpty(m.Id))
                    {
                        _medications.TryAdd("Medication/" + m.Id, m);
                    }

                    if (!string.IsNullOrEmpty(fullUrl))
                    {
                        _medications.TryAdd(fullUrl, m);
                    }

                    return;
                default:
                    return;
            }
        }

        public PatientRecord Build() => new()
        {
            Patient = _patient,
            Conditions = _conditions,
            MedicationRequests = _requests,
            MedicationStatements = _statements,
            MedicationDispenses = _dispenses,
            Observations = _observations,
            Allergies = _allergies,
            Procedures = _procedures,
            Medications = _medications,
        };
    }
}
