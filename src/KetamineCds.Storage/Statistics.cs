using System.Text.Json.Serialization;

namespace KetamineCds.Storage;

/// <summary>The body of <c>GET /admin/stats</c>: counts over all instances sharing the database.</summary>
public sealed record StatisticsReport(
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("services")] IReadOnlyList<ServiceStatistics> Services,
    [property: JsonPropertyName("clients")] IReadOnlyList<ClientStatistics> Clients);

public sealed record ServiceStatistics(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("latencyMs")] LatencyStatistics LatencyMs,
    [property: JsonPropertyName("cards")] IReadOnlyList<CardStatistics> Cards);

public sealed record LatencyStatistics(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double P99);

public sealed record CardStatistics(
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("indicator")] string? Indicator,
    [property: JsonPropertyName("shown")] long Shown,
    [property: JsonPropertyName("accepted")] long Accepted,
    [property: JsonPropertyName("overridden")] long Overridden,
    [property: JsonPropertyName("overrideReasons")] IReadOnlyList<OverrideReasonStatistics> OverrideReasons);

public sealed record OverrideReasonStatistics(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("display")] string? Display,
    [property: JsonPropertyName("count")] long Count);

public sealed record ClientStatistics(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("lastCall")] DateTimeOffset? LastCall,
    [property: JsonPropertyName("rejected")] IReadOnlyDictionary<string, long> Rejected);
