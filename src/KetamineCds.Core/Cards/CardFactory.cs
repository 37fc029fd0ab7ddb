using System.Globalization;
using System.Text;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Cards;

/// <summary>
/// The parts every card shares (docs/card-contract.md): fresh uuid, summary under 140 characters, source label and
/// topic, a detail that ends with the knowledge-base version and the sources cited, and absolute links to those sources.
/// </summary>
internal sealed class CardFactory(KnowledgeBase knowledge)
{
    public const string SourceLabel = "KetamineCds";
    public const int MaxSummaryLength = 139;
    private const int MaxLinks = 4;

    /// <summary>The line of a short detail that sends the reader to the assessment app for the rest.</summary>
    public const string AppPointer =
        "The full evidence (each trial's dose and duration check, the failure evidence, the staging item by item, every finding with its source, and a timeline) is in the TRD assessment app: **Open TRD assessment**.";

    public KnowledgeBase Knowledge => knowledge;

    public CdsCard Create(
        string topic,
        CardIndicator indicator,
        string summary,
        string detailBody,
        IEnumerable<string> sourceKeys,
        IReadOnlyList<CdsSuggestion>? suggestions = null,
        IReadOnlyList<CdsCoding>? overrideReasons = null,
        string? shortDetailBody = null,
        bool racemicKetamineOnly = false)
    {
        var keys = sourceKeys.Distinct(StringComparer.Ordinal).ToList();
        var footer = new StringBuilder("\n\n---\nKnowledge base: ", 128).Append(knowledge.Version);
        if (keys.Count > 0)
        {
            footer.Append(". Sources:");
            foreach (var key in keys)
            {
                footer.Append(" [").Append(key).Append(']');
            }
        }

        var detail = string.Concat(detailBody.AsSpan().TrimEnd(), footer.ToString());
        var shortDetail = shortDetailBody is null
            ? null
            : string.Concat(shortDetailBody.AsSpan().TrimEnd(), "\n\n", AppPointer, footer.ToString());

        return new CdsCard
        {
            Uuid = Guid.NewGuid().ToString(),
            Summary = Summary(summary),
            Detail = detail,
            ShortDetail = shortDetail,
            Indicator = indicator,
            Source = new CdsSource
            {
                Label = SourceLabel,
                Topic = new CdsCoding { System = CardTopics.System, Code = topic, Display = TopicDisplay(topic) },
            },
            Suggestions = suggestions is { Count: > 0 } ? suggestions : null,
            SelectionBehavior = suggestions is { Count: > 0 } ? SelectionBehavior.AtMostOne : null,
            OverrideReasons = overrideReasons is { Count: > 0 } ? overrideReasons : null,
            Links = Links(keys, racemicKetamineOnly),
        };
    }

    public static string Summary(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= MaxSummaryLength ? oneLine : oneLine[..(MaxSummaryLength - 3)].TrimEnd() + "...";
    }

    public static string TopicDisplay(string topic) => topic switch
    {
        CardTopics.TrdCandidate => "Treatment-resistant depression: ketamine/esketamine candidate",
        CardTopics.TrdPossible => "Possible treatment-resistant depression",
        CardTopics.Contraindication => "Contraindication",
        CardTopics.Precaution => "Precaution",
        CardTopics.DrugInteraction => "Drug interaction",
        CardTopics.BloodPressure => "Blood pressure before dosing",
        CardTopics.IndicationNotDocumented => "Indication not documented",
        CardTopics.DataUnavailable => "Patient data unavailable",
        _ => topic,
    };

    public static string Dose(decimal? mgPerDay) =>
        mgPerDay is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + " mg/day" : "dose unknown";

    /// <summary>Generic name in lower case, with the record's wording (escaped: it comes from the EHR) in parentheses when it differs.</summary>
    public static string Drug(string ingredient, string? recordText) =>
        string.IsNullOrWhiteSpace(recordText) || recordText.Trim().Equals(ingredient, StringComparison.OrdinalIgnoreCase)
            ? ingredient
            : $"{ingredient} ({MarkdownText.Escape(recordText.Trim())})";

    /// <summary>
    /// Links to the cited sources that have a URL. When none has one, the label of the product the card is about
    /// (knowledge-base.json <c>productLabels</c>: esketamine's, or for racemic ketamine alone ketamine's); never a label
    /// the card does not cite next to ones it does.
    /// </summary>
    private List<CdsLink> Links(List<string> keys, bool racemicKetamineOnly)
    {
        var links = new List<CdsLink>();
        foreach (var key in keys)
        {
            if (links.Count >= MaxLinks)
            {
                break;
            }

            AddLink(links, key);
        }

        if (links.Count == 0)
        {
            AddLink(links, knowledge.ProductLabels.For(racemicKetamineOnly).Key);
        }

        return links;
    }

    private void AddLink(List<CdsLink> links, string key)
    {
        if (knowledge.Citations.TryGetValue(key, out var citation) && citation.Url is not null && !links.Exists(l => l.Url == citation.Url))
        {
            links.Add(new CdsLink { Label = $"[{key}] {citation.Label}", Url = citation.Url, Type = CdsLinkType.Absolute });
        }
    }
}
