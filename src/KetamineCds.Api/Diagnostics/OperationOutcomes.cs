using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace KetamineCds.Api.Diagnostics;

/// <summary>Short FHIR OperationOutcome bodies for 4xx answers (CDS Hooks 3.0 recommends them; harmless in 2.0).</summary>
public static class OperationOutcomes
{
    public const string ContentType = "application/fhir+json";

    public static IResult Result(int statusCode, OperationOutcome.IssueType type, IEnumerable<string> messages)
    {
        var outcome = new OperationOutcome
        {
            Issue = messages.Select(m => new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = type,
                Diagnostics = m,
            }).ToList(),
        };
        return TypedResults.Text(FhirJsonSerializer.Default.SerializeToString(outcome), ContentType, System.Text.Encoding.UTF8, statusCode);
    }

    public static IResult Result(int statusCode, OperationOutcome.IssueType type, string message)
        => Result(statusCode, type, [message]);
}
