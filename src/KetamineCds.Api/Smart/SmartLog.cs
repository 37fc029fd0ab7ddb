namespace KetamineCds.Api.Smart;

/// <summary>Log messages of the assessment app (EventIds 8xxx). Never tokens, codes, verifiers or patient data.</summary>
internal static partial class SmartLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "SMART launch refused: iss is not an allowed FHIR server of an EHR with the app registered")]
    public static partial void IssNotAllowed(ILogger logger);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "SMART launch for EHR {Client}: smart-configuration could not be read ({Reason})")]
    public static partial void ConfigurationUnavailable(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "SMART launch for EHR {Client}: redirected to the authorization server")]
    public static partial void Redirected(ILogger logger, string client);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "SMART callback refused: {Reason}")]
    public static partial void CallbackRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "SMART token exchange for EHR {Client} failed: {Error}")]
    public static partial void TokenFailed(ILogger logger, string client, string error);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information, Message = "SMART session started for EHR {Client}, lifetime {LifetimeSeconds} s")]
    public static partial void SessionStarted(ILogger logger, string client, int lifetimeSeconds);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Information, Message = "SMART app page: {FhirRequests} FHIR request(s), {Unavailable} kind(s) unavailable")]
    public static partial void PageRendered(ILogger logger, int fhirRequests, int unavailable);

    [LoggerMessage(EventId = 8008, Level = LogLevel.Error, Message = "SMART app: Redis (sessions, Data Protection keys) unavailable, answered 503: {Error}")]
    public static partial void SharedStateUnavailable(ILogger logger, string error);
}
