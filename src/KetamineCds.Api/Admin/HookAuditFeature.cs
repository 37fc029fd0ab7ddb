using KetamineCds.Api.CdsHooks;
using KetamineCds.Core.Cards;
using KetamineCds.Fhir;
using KetamineCds.Storage;

namespace KetamineCds.Api.Admin;

/// <summary>
/// What the hook endpoint tells the audit trail about one call (set on <c>HttpContext.Features</c> by
/// <see cref="HookAuditMiddleware"/>; the endpoint fills it in as it goes). The patient id is hashed at once and
/// never kept; cards keep only uuid, topic and indicator.
/// </summary>
public sealed class HookAuditFeature(PatientKeyHasher hasher)
{
    public string? Hook { get; private set; }

    public string? HookInstance { get; private set; }

    public string? PatientKey { get; private set; }

    public string DataSource { get; private set; } = "none";

    public int FhirRequests { get; private set; }

    public IReadOnlyList<AuditCard> Cards { get; private set; } = [];

    /// <summary>The validated request (hook, hookInstance, patient key).</summary>
    public void Request(HookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Hook = request.Hook;
        HookInstance = request.HookInstance;
        PatientKey = string.IsNullOrEmpty(request.PatientId) ? null : hasher.Hash(request.PatientId);
    }

    /// <summary>Where the patient data came from: <c>unavailable</c> if any kind was, else <c>fetched</c> if any was fetched, else <c>prefetch</c>.</summary>
    public void Data(PatientDataResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        FhirRequests = result.FhirRequests;
        DataSource = result.Unavailable.Count > 0 ? "unavailable" : result.FetchedFromFhirServer.Count > 0 ? "fetched" : "prefetch";
    }

    public void Answered(IReadOnlyList<CdsCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var audit = new AuditCard[cards.Count];
        for (var i = 0; i < cards.Count; i++)
        {
            var card = cards[i];
            audit[i] = new AuditCard(card.Uuid, card.Source.Topic?.Code, IndicatorName(card.Indicator));
        }

        Cards = audit;
    }

    private static string IndicatorName(CardIndicator indicator) => indicator switch
    {
        CardIndicator.Info => "info",
        CardIndicator.Warning => "warning",
        CardIndicator.Critical => "critical",
        _ => indicator.ToString().ToLowerInvariant(),
    };
}
