using System.Text.RegularExpressions;
using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Hosting;

/// <summary>Turns an exception that stops start-up into a short message an administrator can act on (no stack trace).</summary>
public static partial class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>
    /// In the service's own process, everything. When another program hosts the entry point (WebApplicationFactory in
    /// tests), the exception goes to that host as it would without this handler.
    /// </summary>
    public static bool IsReportable(Exception exception)
        => exception is not HostAbortedException && System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    public static void Report(Exception exception, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("KetamineCds cannot start: the configuration is not valid. Fix these settings and start again:");
        foreach (var line in Messages(exception).Distinct(StringComparer.Ordinal))
        {
            output.WriteLine("  - " + line);
        }

        output.Flush();
    }

    /// <summary>The validation failures (each naming its key), or the message chain of any other exception.</summary>
    public static IEnumerable<string> Messages(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case OptionsValidationException validation:
                foreach (var failure in validation.Failures)
                {
                    yield return OneLine(failure);
                }

                break;
            case AggregateException aggregate:
                foreach (var inner in aggregate.Flatten().InnerExceptions.SelectMany(Messages))
                {
                    yield return inner;
                }

                break;
            default:
                var text = exception.Message;
                for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
                {
                    // Kestrel's bind failure wraps the same words twice ("address already in use" x3): said once.
                    if (!text.Contains(inner.Message, StringComparison.OrdinalIgnoreCase))
                    {
                        text += " " + inner.Message;
                    }
                }

                yield return OneLine(text);
                break;
        }
    }

    /// <summary>Data-annotation failures name the options type and member; say the configuration key instead.</summary>
    private static string OneLine(string text)
    {
        text = text.ReplaceLineEndings(" ");
        var match = DataAnnotationFailure().Match(text);
        if (match.Success)
        {
            var section = ConfigurationSchema.Sections.FirstOrDefault(s => s.Value.Name == match.Groups["type"].Value).Key;
            if (section is not null)
            {
                return $"{section}:{match.Groups["member"].Value}: {match.Groups["error"].Value}";
            }
        }

        return text;
    }

    [GeneratedRegex("^DataAnnotation validation failed for '(?<type>[^']+)' members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$")]
    private static partial Regex DataAnnotationFailure();
}
