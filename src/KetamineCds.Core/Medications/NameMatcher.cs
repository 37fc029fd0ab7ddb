using System.Collections.Frozen;

namespace KetamineCds.Core.Medications;

/// <summary>
/// Finds generic and brand names in tokenised text: whole tokens only, longest phrase first, case-insensitive.
/// Built once at knowledge-base load; immutable and thread-safe afterwards.
/// </summary>
internal sealed class NameMatcher
{
    private readonly FrozenDictionary<string, NamePhrase[]> _byFirstToken;

    public NameMatcher(IEnumerable<NamePhrase> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        _byFirstToken = phrases
            .Where(p => p.Tokens.Length > 0)
            .GroupBy(p => p.Tokens[0], StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.OrderByDescending(p => p.Tokens.Length).ToArray(),
                StringComparer.Ordinal);
    }

    public List<NameHit> FindAll(IReadOnlyList<TextToken> tokens)
    {
        var hits = new List<NameHit>();
        var i = 0;
        while (i < tokens.Count)
        {
            var matched = false;
            if (_byFirstToken.TryGetValue(tokens[i].Text, out var candidates))
            {
                foreach (var phrase in candidates)
                {
                    if (Matches(tokens, i, phrase.Tokens))
                    {
                        hits.Add(new NameHit(i, i + phrase.Tokens.Length, phrase));
                        i += phrase.Tokens.Length;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched)
            {
                i++;
            }
        }

        return hits;
    }

    private static bool Matches(IReadOnlyList<TextToken> tokens, int start, string[] phrase)
    {
        if (start + phrase.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 0; k < phrase.Length; k++)
        {
            if (!string.Equals(tokens[start + k].Text, phrase[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
