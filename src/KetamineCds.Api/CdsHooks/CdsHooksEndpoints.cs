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
    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/cds-services");
        group.MapGet("", GetDiscovery).RequireCdsDiscoveryAccess().WithName("CdsDiscovery");
        group.MapPost("/{id}", InvokeServiceAsync).RequireCdsServiceAccess().RequireRateLimiting(HookCallConcurrencyPolicy.Name).WithName("CdsService");
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

        using var span = CdsTelemetry.StartHook(service.Id, hookInstance: null);
        var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBodyBytes, cancellationToken);
        if (body.Error is { } bodyError)
        {
            CdsTelemetry.Answered(span, body.StatusCode);
            metrics.HookAnswered(service.Id, body.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return bodyError;
        }

        var parsed = HookRequestParser.Parse(body.Content, service);
        if (parsed.Request is null)
        {
            CdsHookHandler.LogRejected(logger, service.Id, parsed.Errors.Count);
            CdsTelemetry.Answered(span, StatusCodes.Status400BadRequest);
            metrics.HookAnswered(service.Id, StatusCodes.Status400BadRequest, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return OperationOutcomes.Result(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, parsed.Errors);
        }

        var request = parsed.Request;
        CdsTelemetry.HookInstance(span, request.HookInstance);
        var audit = http.Features.Get<HookAuditFeature>();
        audit?.Request(request);
        var hook = request.ToHookInput(service.Kind);
        var record = PatientRecord.Empty;
        IReadOnlySet<PatientDataKind> unavailable = new HashSet<PatientDataKind>();
        var fhirRequests = 0;
        if (engine.RequiresPatientData(hook))
        {
            var result = await data.GetPatientDataAsync(
                request.ToDataRequest(AllowedFhirServers.For(http.GetCdsClient(), options.Value)), cancellationToken);
            record = result.Record;
            unavailable = result.Unavailable;
            fhirRequests = result.FhirRequests;
            audit?.Data(result);
        }

        EvaluationOutcome outcome;
        using (var evaluation = CdsTelemetry.Source.StartActivity(CdsTelemetry.EvaluateSpan))
        {
            outcome = engine.Evaluate(new EvaluationRequest(hook, record, time.GetUtcNow()) { UnavailableData = unavailable });
            evaluation?.SetTag("cds.cards", outcome.Cards.Count);
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (outcome.RequiredDataMissing)
        {
            CdsHookHandler.LogDataMissing(logger, service.Id, request.HookInstance, outcome.MissingData.Count, elapsedMs);
            CdsTelemetry.Answered(span, StatusCodes.Status412PreconditionFailed);
            metrics.HookAnswered(service.Id, StatusCodes.Status412PreconditionFailed, elapsedMs);
            return OperationOutcomes.Result(
                StatusCodes.Status412PreconditionFailed,
                OperationOutcome.IssueType.Incomplete,
                $"The patient data the rules need could not be obtained (neither prefetched nor retrievable from fhirServer): {string.Join(", ", outcome.MissingData)}.");
        }

        CdsHookHandler.LogEvaluated(logger, service.Id, request.HookInstance, outcome.Cards.Count, fhirRequests, elapsedMs);
        CdsTelemetry.Answered(span, StatusCodes.Status200OK);
        metrics.HookAnswered(service.Id, StatusCodes.Status200OK, elapsedMs);
        metrics.CardsReturned(service.Id, outcome.Cards);
        var cards = Smart.SmartCardLinks.Apply(outcome.Cards, service.Kind, outcome, http.GetCdsClient(), options.Value);
        audit?.Answered(cards);
        return CdsJson.Answer(new CdsHookResponse(cards));
    }
}
