namespace KetamineCds.Core.Medications;

/// <summary>
/// Splits drug text into lower-case word and number tokens. Hyphens, brackets and spaced slashes separate tokens;
/// "w/" becomes "with". Matching on whole tokens is what keeps "esketamine" from matching "ketamine".
/// </summary>
internal static class TextTokenizer
{
    public static List<TextToken> Tokenize(string? text)
    {
        var tokens = new List<TextToken>();
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && char.IsLetter(text[i]))
                {
                    i++;
                }

                var word = text[start..i].ToLowerInvariant();
                var slash = i < text.Length && text[i] == '/';
                if (word == "w" && slash)
                {
                    tokens.Add(new TextToken("with", false, false));
                    i++;
                    continue;
                }

                tokens.Add(new TextToken(word, false, slash));
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                var slash = i < text.Length && text[i] == '/';
                tokens.Add(new TextToken(text[start..i], true, slash));
            }
            else
            {
                i++;
            }
        }

        return tokens;
    }
}
