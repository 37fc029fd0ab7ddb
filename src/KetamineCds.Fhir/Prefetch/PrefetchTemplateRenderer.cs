using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace KetamineCds.Fhir.Prefetch;

/// <summary>
/// Substitutes CDS Hooks 2.0 prefetch tokens (<c>{{context.patientId}}</c>, <c>{{userPractitionerId}}</c>, ...) the way the
/// EHR does, URL-encoding each value. A template with a token that has no value is not run.
/// </summary>
public static partial class PrefetchTemplateRenderer
{
    /// <param name="template">A relative FHIR URL with tokens, e.g. <c>Condition?patient={{context.patientId}}</c>.</param>
    /// <param name="tokens">Token values keyed without braces (<see cref="HookDataRequest.PrefetchTokens"/>).</param>
    /// <param name="rendered">The relative URL with every token replaced.</param>
    /// <param name="missingToken">The first token without a (usable) value, when rendering fails.</param>
    public static bool TryRender(
        string template,
        IReadOnlyDictionary<string, string> tokens,
        [NotNullWhen(true)] out string? rendered,
        [NotNullWhen(false)] out string? missingToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(tokens);

        var result = new StringBuilder(template.Length + 32);
        var last = 0;
        foreach (Match match in TokenPattern().Matches(template))
        {
            var name = match.Groups[1].Value;
            if (!tokens.TryGetValue(name, out var value) || !IsUsable(value))
            {
                rendered = null;
                missingToken = name;
                return false;
            }

            result.Append(template, last, match.Index - last).Append(Uri.EscapeDataString(value));
            last = match.Index + match.Length;
        }

        result.Append(template, last, template.Length - last);
        rendered = result.ToString();
        missingToken = null;
        return true;
    }

    /// <summary>Empty values and dot segments would change which resource a read addresses.</summary>
    private static bool IsUsable(string? value)
        => !string.IsNullOrWhiteSpace(value) && value is not ("." or "..");

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
