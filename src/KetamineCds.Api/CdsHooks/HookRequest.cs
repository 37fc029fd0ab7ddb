using Hl7.Fhir.Model;
using KetamineCds.Core.Model;
using KetamineCds.Fhir;
using KetamineCds.Fhir.Parsing;

namespace KetamineCds.Api.CdsHooks;

/// <summary>A validated CDS Hooks service request, its prefetch already read.</summary>
public sealed class HookRequest
{
    public required string Hook { get; init; }

    public required string HookInstance { get; init; }

    public Uri? FhirServer { get; init; }

    /// <summary>The EHR's bearer token for <see cref="FhirServer"/>. Never logged, never kept after the call.</summary>
    public string? AccessToken { get; init; }

    public required string PatientId { get; init; }

    public required string UserId { get; init; }

    public string? EncounterId { get; init; }

    /// <summary>Resources of <c>context.draftOrders</c> (order hooks).</summary>
    public IReadOnlyList<Resource> DraftOrders { get; init; } = [];

    /// <summary>Medication resources of <c>context.draftOrders</c>, keyed by <c>Medication/{id}</c> and fullUrl.</summary>
    public IReadOnlyDictionary<string, Medication> DraftMedications { get; init; } = new Dictionary<string, Medication>(StringComparer.Ordinal);

    /// <summary><c>context.selections</c> (order-select).</summary>
    public IReadOnlyList<string> Selections { get; init; } = [];

    /// <summary>The <c>prefetch</c> member (null when absent or JSON null): the values of the keys this service asks for.</summary>
    public IReadOnlyDictionary<string, PrefetchValue>? Prefetch { get; init; }

    /// <summary>Prefetch token values: context fields and the user tokens derived from <c>userId</c>.</summary>
    public required IReadOnlyDictionary<string, string> PrefetchTokens { get; init; }

    /// <summary>What the engine decides on: the hook's kind, its patient, draft orders and selections.</summary>
    public HookInput ToHookInput(HookKind kind) => new(kind, DraftOrders, Selections)
    {
        PatientId = PatientId,
        DraftMedications = DraftMedications,
    };

    /// <summary>What the data layer needs to assemble the hook's patient record (prefetch, and the EHR's FHIR server if any).</summary>
    public HookDataRequest ToDataRequest(IReadOnlyList<Uri> allowedFhirServers) => new()
    {
        HookInstance = HookInstance,
        PatientId = PatientId,
        PrefetchTokens = PrefetchTokens,
        Prefetch = Prefetch,
        FhirServer = FhirServer,
        AccessToken = AccessToken,
        AllowedFhirServers = allowedFhirServers,
    };
}
