using KetamineCds.Api.Configuration;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Api.Smart;

/// <summary>
/// Adds the "Open TRD assessment" SMART link to the cards the app explains: the TRD cards and, in patient-view, the
/// safety cards of a patient already on ketamine/esketamine. Done at the host after evaluation (Core stays pure) and only
/// when the app is registered with the calling EHR (its <c>Smart:ClientId</c> is set; with authentication off, any EHR's).
/// A card that gets the link and has a compact variant (<see cref="CdsCard.ShortDetail"/>, the TRD cards) shows that
/// instead of the full detail: the app holds the rest. Without the link the full detail stays (the EHR has no other
/// way to see the evidence).
/// </summary>
public static class SmartCardLinks
{
    public const string Label = "Open TRD assessment";

    public const string LaunchPath = "/smart/launch";

    private static readonly HashSet<string> TrdTopics = new(StringComparer.Ordinal) { CardTopics.TrdCandidate, CardTopics.TrdPossible };

    private static readonly HashSet<string> SafetyTopics = new(StringComparer.Ordinal)
    {
        CardTopics.Contraindication, CardTopics.Precaution, CardTopics.DrugInteraction, CardTopics.BloodPressure,
    };

    /// <summary>True when the app may be offered to the caller.</summary>
    public static bool IsEnabledFor(CdsClientOptions? client, CdsHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return client is not null
            ? !string.IsNullOrWhiteSpace(client.Smart.ClientId)
            : !options.RequireAuthentication && options.Clients.Any(c => !string.IsNullOrWhiteSpace(c.Smart.ClientId));
    }

    /// <summary>The cards, with the link on those it belongs to (the same list when the app is not enabled).</summary>
    public static IReadOnlyList<CdsCard> Apply(IReadOnlyList<CdsCard> cards, HookKind hook, EvaluationOutcome outcome, CdsClientOptions? client, CdsHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(outcome);
        if (cards.Count == 0 || !IsEnabledFor(client, options))
        {
            return cards;
        }

        var onTherapyPatientView = hook == HookKind.PatientView && outcome.Assessment?.OnKetamineTherapy == true;
        var link = new CdsLink { Label = Label, Url = options.PublicBaseUrl + LaunchPath, Type = CdsLinkType.Smart };
        return cards.Select(card => card.Source.Topic?.Code is { } topic && (TrdTopics.Contains(topic) || (onTherapyPatientView && SafetyTopics.Contains(topic)))
            ? card with { Detail = card.ShortDetail ?? card.Detail, Links = [.. card.Links ?? [], link] }
            : card).ToList();
    }
}
