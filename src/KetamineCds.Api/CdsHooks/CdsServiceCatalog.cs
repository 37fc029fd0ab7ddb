using KetamineCds.Core.Model;
using KetamineCds.Fhir.Prefetch;

namespace KetamineCds.Api.CdsHooks;

/// <summary>The services this product offers: the discovery document and the (id, hook) dispatch table.</summary>
public static class CdsServiceCatalog
{
    public const string ScreeningId = "ketamine-trd-screening";
    public const string OrderSelectId = "ketamine-order-select";
    public const string OrderSignId = "ketamine-order-sign";

    private const string UsageRequirements =
        "Grant the service read access (user/ or patient/ scope) to Patient, Condition, MedicationRequest, MedicationStatement, " +
        "MedicationDispense, Observation, AllergyIntolerance and Procedure for the patient in context, through prefetch or through " +
        "fhirServer + fhirAuthorization. Calls must carry a JWT signed by a registered EHR.";

    private static readonly IReadOnlyDictionary<string, string> Prefetch =
        PrefetchTemplates.All.ToDictionary(t => t.Key, t => t.Template, StringComparer.Ordinal);

    public static IReadOnlyList<CdsServiceDefinition> Services { get; } =
    [
        new()
        {
            Id = ScreeningId,
            Hook = "patient-view",
            Kind = HookKind.PatientView,
            Title = "Treatment-resistant depression and ketamine/esketamine screening",
            Description =
                "When a chart opens, checks whether the patient meets treatment-resistant depression criteria (major depressive " +
                "disorder with at least two failed adequate antidepressant trials in the current episode), stages it (Maudsley, " +
                "Thase-Rush) and lists what to check before considering ketamine or esketamine: label contraindications, precautions, " +
                "interacting drugs and blood pressure. Suggests a referral when appropriate.",
            Prefetch = Prefetch,
            UsageRequirements = UsageRequirements,
        },
        new()
        {
            Id = OrderSelectId,
            Hook = "order-select",
            Kind = HookKind.OrderSelect,
            Title = "Ketamine/esketamine order safety check (order select)",
            Description =
                "When a clinician selects a ketamine or esketamine order, or a drug that interacts with them while the patient is on " +
                "ketamine/esketamine, shows label contraindications, precautions, interactions, blood pressure and whether the " +
                "indication is documented.",
            Prefetch = Prefetch,
            UsageRequirements = UsageRequirements,
        },
        new()
        {
            Id = OrderSignId,
            Hook = "order-sign",
            Kind = HookKind.OrderSign,
            Title = "Ketamine/esketamine order safety check (order sign)",
            Description =
                "Before a ketamine or esketamine order (or an interacting drug for a patient on ketamine/esketamine) is signed, " +
                "shows label contraindications (with a suggestion to remove the order), precautions, interactions, blood pressure " +
                "and whether the indication is documented.",
            Prefetch = Prefetch,
            UsageRequirements = UsageRequirements,
        },
    ];

    private static readonly Dictionary<string, CdsServiceDefinition> ById =
        Services.ToDictionary(s => s.Id, StringComparer.Ordinal);

    public static CdsServiceDefinition? Find(string id) => ById.GetValueOrDefault(id);
}
