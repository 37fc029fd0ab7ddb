namespace KetamineCds.Api.Security;

/// <summary>Log messages of EHR authentication and hardening (EventIds 5xxx). Never a token, a claim value sent by the caller, or a body.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "EHR token refused on {Route} (client {Client}): {Reason}")]
    public static partial void TokenRefused(ILogger logger, CdsRouteKind route, string client, CdsTokenFailure reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "EHR token refused on {Route} (client {Client}): {Reason} ({Error})")]
    public static partial void TokenInvalid(ILogger logger, CdsRouteKind route, string client, CdsTokenFailure reason, string error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "EHR {Client} authenticated on {Route}")]
    public static partial void Authenticated(ILogger logger, string client, CdsRouteKind route);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "JWKS fetch for EHR {Client} failed: {Failure}")]
    public static partial void JwksFetchFailed(ILogger logger, string client, string failure);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "JWKS for EHR {Client} fetched: {KeyCount} usable key(s)")]
    public static partial void JwksFetched(ILogger logger, string client, int keyCount);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "JWKS refetch for EHR {Client} suppressed (rate limit)")]
    public static partial void JwksRefetchSuppressed(ILogger logger, string client);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "EHR authentication is OFF (CdsHooks:RequireAuthentication=false): any caller may invoke the CDS services. Never run like this in production.")]
    public static partial void AuthenticationDisabled(ILogger logger);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "EHR authentication is OFF in the {Environment} environment (CdsHooks:RequireAuthentication=false, overridden by CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment=true): any caller may invoke the CDS services and receive patient advice.")]
    public static partial void AuthenticationDisabledOutsideDevelopment(ILogger logger, string environment);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "No EHR is configured in CdsHooks:Clients: every authenticated call will be refused with 401.")]
    public static partial void NoClientsConfigured(ILogger logger);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "{Status} for {Client}: {Reason} (further ones are counted and reported every {Interval})")]
    public static partial void CallRefused(ILogger logger, int status, string client, string reason, TimeSpan interval);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "{Status} for {Client}: {Reason}, {Count} more in the last {Interval}")]
    public static partial void CallsRefused(ILogger logger, int status, string client, string reason, long count, TimeSpan interval);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "jti replay cache is full ({MaxEntries} unexpired tokens): forgetting the least recently seen (logged at most once a minute); run several instances with Redis")]
    public static partial void ReplayCacheFull(ILogger logger, int maxEntries);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "EHR authentication on: {ClientCount} trusted EHR(s), algorithms {Algorithms}, anonymous discovery {AnonymousDiscovery}")]
    public static partial void AuthenticationEnabled(ILogger logger, int clientCount, string algorithms, bool anonymousDiscovery);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "Hook calls: at most {MaxConcurrent} at once on this instance, {QueueLimit} more queued, then 503 (CdsHooks:MaxConcurrentHookCalls, HookCallQueueLimit)")]
    public static partial void HookCallsBounded(ILogger logger, int maxConcurrent, int queueLimit);
}
