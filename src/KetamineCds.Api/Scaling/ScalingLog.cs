namespace KetamineCds.Api.Scaling;

/// <summary>Log messages of the shared (Redis) state of several instances (EventIds 7xxx). Never a token or a jti.</summary>
internal static partial class ScalingLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Shared state in Redis ({Endpoints}): jti replay cache, per-EHR rate limits, SMART app sessions and the Data Protection key ring are shared by every instance")]
    public static partial void RedisEnabled(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "No Redis:Configuration: jti replay cache, rate limits and SMART app sessions are held in this process (one instance only)")]
    public static partial void RedisDisabled(ILogger logger);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Redis unavailable for the {Operation}: EHR calls are refused with 401 until it is back (fail closed; {Suppressed} more failure(s) since the last line, logged at most every {IntervalSeconds} s): {Error}")]
    public static partial void RedisUnavailable(ILogger logger, string operation, long suppressed, int intervalSeconds, string error);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "Redis unavailable for the per-EHR rate limit: call let through unlimited ({Suppressed} more failure(s) since the last line, logged at most every {IntervalSeconds} s): {Error}")]
    public static partial void RateLimitStoreUnavailable(ILogger logger, long suppressed, int intervalSeconds, string error);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Forwarded headers on: X-Forwarded-For/-Proto honoured from {ProxyCount} known prox(ies) and {NetworkCount} known network(s), {ForwardLimit} hop(s)")]
    public static partial void ForwardedHeadersEnabled(ILogger logger, int proxyCount, int networkCount, int forwardLimit);
}
