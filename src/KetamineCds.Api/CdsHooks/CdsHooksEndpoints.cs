using System.Diagnostics;
using Hl7.Fhir.Model;
using KetamineCds.Api.Admin;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Security;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// The CDS Hooks endpoints: discovery, service calls and feedback. Service and feedback calls share the bound on calls
/// executing at once (<see cref="HookCallConcurrencyPolicy"/>; 503 with Retry-After beyond it and its queue).
/// </summary>
public static class CdsHooksEndpoints
{
    /// <summary>The name of the hook endpoint (<c>POST /cds-services/{id}</c>): its audit middleware and the warm-up find it by it.</summary>
    public const string HookEndpointName = "CdsService";

    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/cds-services");
        group.MapGet("", GetDiscovery).RequireCdsDiscoveryAccess().WithName("CdsDiscovery");
        group.MapPost("/{id}", InvokeServiceAsync).RequireCdsServiceAccess().RequireRateLimiting(HookCallConcurrencyPolicy.Name).WithName(HookEndpointName);
        group.MapPost("/{id}/feedback", FeedbackEndpoint.HandleAsync).RequireCdsServiceAccess().RequireRateLimiting(HookCallConcurrencyPolicy.Name).WithName("CdsFeedback");
        return app;
    }

    private static JsonHttpResult<DiscoveryResponse> GetDiscovery() => TypedResults.Json(new DiscoveryResponse(CdsServiceCatalog.Services), CdsJson.Options);

    private static async Task<IResult> InvokeServiceAsync(
        string id,
        HttpContext http,
        IClinicalEngine engine,
        IPatientDataProvider data,
        IOptions<CdsHooksOptions> options,
        TimeProvider time,
        ILogger<CdsHookHandler> logger,
        CdsMetrics metrics,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var service = CdsServiceCatalog.Find(id);
        if (service is null)
        {
            return OperationOutcomes.Result(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"Unknown CDS service '{id}'.");
        }

        var warmup = WarmupCall.Of(http);
        using var report = new HookCallReport(service.Id, started, quiet: warmup is not null, metrics, logger);
        var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBodyBytes, cancellationToken);
        if (body.Error is { } bodyError)
        {
            report.Answered(body.StatusCode);
            return bodyError;
        }

        var parsed = HookRequestParser.Parse(body.Content, service);
        if (parsed.Request is null)
        {
            report.Rejected(parsed.Errors.Count);
            return OperationOutcomes.Result(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, parsed.Errors);
        }

        var request = parsed.Request;
        report.Parsed(request.HookInstance);
        var audit = http.Features.Get<HookAuditFeature>();
        audit?.Request(request);
        var hook = request.ToHookInput(service.Kind);
        var record = PatientRecord.Empty;
        IReadOnlySet<PatientDataKind> unavailable = new HashSet<PatientDataKind>();
        var fhirRequests = 0;
        if (engine.RequiresPatientData(hook))
        {
            var result = await (warmup?.Data ?? data).GetPatientDataAsync(
                request.ToDataRequest(AllowedFhirServers.For(http.GetCdsClient(), options.Value)), cancellationToken);
            record = result.Record;
            unavailable = result.Unavailable;
            fhirRequests = result.FhirRequests;
            audit?.Data(result);
        }

        EvaluationOutcome outcome;
        using (var evaluation = report.StartEvaluation())
        {
            outcome = engine.Evaluate(new EvaluationRequest(hook, record, time.GetUtcNow()) { UnavailableData = unavailable });
            evaluation?.SetTag("cds.cards", outcome.Cards.Count);
        }

        if (outcome.RequiredDataMissing)
        {
            report.DataMissing(request.HookInstance, outcome.MissingData.Count);
            return OperationOutcomes.Result(
                StatusCodes.Status412PreconditionFailed,
                OperationOutcome.IssueType.Incomplete,
                $"The patient data the rules need could not be obtained (neither prefetched nor retrievable from fhirServer): {string.Join(", ", outcome.MissingData)}.");
        }

        report.Evaluated(request.HookInstance, outcome, fhirRequests);
        var cards = Smart.SmartCardLinks.Apply(outcome.Cards, service.Kind, outcome, http.GetCdsClient(), options.Value);
        audit?.Answered(cards);
        return CdsJson.Answer(new CdsHookResponse(cards));
    }
}
