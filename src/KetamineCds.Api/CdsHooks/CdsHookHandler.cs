namespace KetamineCds.Api.CdsHooks;

/// <summary>Log messages of the hook endpoint (EventIds 1xxx). No tokens, no patient data.</summary>
public sealed partial class CdsHookHandler
{
    private CdsHookHandler()
    {
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Hook {ServiceId} {HookInstance}: {CardCount} card(s), {FhirRequests} FHIR request(s), {ElapsedMs:F1} ms")]
    public static partial void LogEvaluated(ILogger logger, string serviceId, KetamineCds.Fhir.Diagnostics.LogText hookInstance, int cardCount, int fhirRequests, double elapsedMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Hook {ServiceId} {HookInstance}: 412, {MissingCount} required data kind(s) unavailable, {ElapsedMs:F1} ms")]
    public static partial void LogDataMissing(ILogger logger, string serviceId, KetamineCds.Fhir.Diagnostics.LogText hookInstance, int missingCount, double elapsedMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Hook {ServiceId}: request rejected with {ErrorCount} validation error(s)")]
    public static partial void LogRejected(ILogger logger, string serviceId, int errorCount);
}
