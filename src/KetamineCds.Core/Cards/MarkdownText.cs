using System.Text;

namespace KetamineCds.Core.Cards;

/// <summary>
/// The one escaper for text the EHR supplied (drug names, condition displays, codes, free text, dates, ids) before it
/// goes into card markdown: only our own text is markup. HTML-significant characters become entities (so no tag,
/// attribute or autolink survives in an EHR that renders HTML inside markdown), markdown punctuation is
/// backslash-escaped (no link, image, emphasis, code span or table), line breaks become spaces (no new block), and
/// "www." and ":" are broken so that GitHub-style autolinks do not turn a URL into a live link. Hand-written: no
/// markdown library in the package mirror offers an escaper for inline text, and the rules fit in one loop.
/// Text without any of these characters is returned as is (no allocation).
/// </summary>
public static class MarkdownText
{
    private static readonly System.Buffers.SearchValues<char> Special =
        System.Buffers.SearchValues.Create("\\`*_{}[]()#+-!|~<>&\"':@.\r\n\t");

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.AsSpan().IndexOfAny(Special) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '"':
                    builder.Append("&quot;");
                    break;
                case '\'':
                    builder.Append("&#39;");
                    break;
                case '\r' or '\n' or '\t':
                    builder.Append(' ');
                    break;
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '!' or '|' or '~' or ':' or '@':
                    builder.Append('\\').Append(c);
                    break;
                case '-' when i == 0:
                    builder.Append("\\-");
                    break;
                case '.' when i >= 3 && text.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase):
                    builder.Append("\\.");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
