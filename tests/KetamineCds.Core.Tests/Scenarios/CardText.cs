using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>Readable dump of cards for assertion messages.</summary>
public static class CardText
{
    public static string Describe(IReadOnlyList<CdsCard> cards)
    {
        if (cards.Count == 0)
        {
            return "  (no cards)";
        }

        return string.Join("\n", cards.Select(c =>
            $"  - {c.Source?.Topic?.Code}/{c.Indicator}: \"{c.Summary}\" suggestions={c.Suggestions?.Count ?? 0}\n" +
            $"    detail: {Shorten(c.Detail)}"));
    }

    private static string Shorten(string? text)
    {
        if (text is null)
        {
            return "(null)";
        }

        var flat = text.Replace('\n', ' ');
        return flat.Length <= 600 ? flat : flat[..600] + "...";
    }
}
