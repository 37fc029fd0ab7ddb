namespace KetamineCds.Api.Scaling;

/// <summary>
/// Shared state for several instances (configuration section <c>Redis</c>). When <see cref="Configuration"/> is set,
/// the jti replay cache, the per-EHR rate limits, the SMART app sessions and the Data Protection key ring live in
/// Redis; otherwise in process memory (one instance).
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis1:6379,password=...,ssl=true</c>. Empty: no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key the service writes (lets several environments share one Redis).</summary>
    public string KeyPrefix { get; set; } = "ketamine-cds:";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
