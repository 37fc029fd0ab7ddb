using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace KetamineCds.Api.Diagnostics;

/// <summary>
/// The one error writer: short FHIR OperationOutcome bodies (<c>application/fhir+json</c>) for every error answer, the
/// endpoints' own and the framework's (unknown path, wrong method, rate limit, timeout, unhandled exception). CDS Hooks
/// 3.0 recommends them; harmless in 2.0.
/// </summary>
public static class OperationOutcomes
{
    public const string ContentType = "application/fhir+json";

    public static IResult Result(int statusCode, OperationOutcome.IssueType type, IEnumerable<string> messages)
        => TypedResults.Text(Serialize(type, messages), ContentType, System.Text.Encoding.UTF8, statusCode);

    public static IResult Result(int statusCode, OperationOutcome.IssueType type, string message)
        => Result(statusCode, type, [message]);

    /// <summary>Writes an OperationOutcome for <paramref name="statusCode"/> straight to the response (middleware use).</summary>
    public static System.Threading.Tasks.Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(Serialize(IssueTypeFor(statusCode), [message]), context.RequestAborted);
    }

    /// <summary>The issue type and a short generic message for a status code the framework produced.</summary>
    public static string MessageFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status404NotFound => "No such resource.",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed on this resource.",
        StatusCodes.Status408RequestTimeout => "The request body arrived too slowly.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status429TooManyRequests => "Too many requests; retry later.",
        StatusCodes.Status503ServiceUnavailable => "The service could not answer in time; retry later.",
        >= 500 => "The service failed to process the request.",
        _ => "The request could not be processed.",
    };

    private static OperationOutcome.IssueType IssueTypeFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status404NotFound => OperationOutcome.IssueType.NotFound,
        StatusCodes.Status405MethodNotAllowed => OperationOutcome.IssueType.NotSupported,
        StatusCodes.Status408RequestTimeout or StatusCodes.Status503ServiceUnavailable => OperationOutcome.IssueType.Timeout,
        StatusCodes.Status413PayloadTooLarge => OperationOutcome.IssueType.TooLong,
        StatusCodes.Status429TooManyRequests => OperationOutcome.IssueType.Throttled,
        StatusCodes.Status401Unauthorized => OperationOutcome.IssueType.Login,
        StatusCodes.Status403Forbidden => OperationOutcome.IssueType.Forbidden,
        >= 500 => OperationOutcome.IssueType.Exception,
        _ => OperationOutcome.IssueType.Invalid,
    };

    /// <summary>Issues listed in one answer; the rest are counted in a last issue (a body of 20,000 bad items stays short).</summary>
    internal const int MaxIssues = 10;

    /// <summary>Characters of one message; longer ones (an echoed 200 KB value) are cut with an ellipsis.</summary>
    internal const int MaxMessageLength = 300;

    private static string Serialize(OperationOutcome.IssueType type, IEnumerable<string> messages)
    {
        var distinct = messages.Distinct(StringComparer.Ordinal).ToList();
        var listed = distinct.Take(MaxIssues).Select(Shorten).ToList();
        if (distinct.Count > MaxIssues)
        {
            listed.Add($"{distinct.Count - MaxIssues} more problem(s) not listed.");
        }

        var outcome = new OperationOutcome
        {
            Issue = listed.Select(m => new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = type,
                Diagnostics = m,
            }).ToList(),
        };
        return FhirJsonSerializer.Default.SerializeToString(outcome);
    }

    private static string Shorten(string message)
    {
        if (message.Length <= MaxMessageLength)
        {
            return message;
        }

        var length = MaxMessageLength - 1;
        if (char.IsHighSurrogate(message[length - 1]))
        {
            length--; // never split a surrogate pair
        }

        return string.Concat(message.AsSpan(0, length), "\u2026");
    }
}
