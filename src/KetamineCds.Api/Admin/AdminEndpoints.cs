using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hl7.Fhir.Model;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Security;
using KetamineCds.Storage;

namespace KetamineCds.Api.Admin;

/// <summary>
/// <c>GET /admin/stats</c> and <c>GET /admin/clients</c>: statistics from storage (all instances, across restarts),
/// protected by <see cref="AdminApiKeyFilter"/>.
/// </summary>
public static class AdminEndpoints
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    // Its own options: admin answers keep null members ("lastCall": null), unlike CDS Hooks bodies.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/admin").RequireAdminApiKey().AllowAnonymous();
        group.MapGet("/stats", GetStatsAsync).WithName("AdminStats");
        group.MapGet("/clients", GetClientsAsync).WithName("AdminClients");
        return app;
    }

    private static async Task<IResult> GetStatsAsync(string? from, string? to, StatisticsQuery statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var end = ParseTime(to, "to", errors) ?? time.GetUtcNow();
        var start = ParseTime(from, "from", errors) ?? end - DefaultPeriod;
        if (errors.Count == 0 && start >= end)
        {
            errors.Add("'from' must be before 'to'.");
        }

        if (errors.Count > 0)
        {
            return OperationOutcomes.Result(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, errors);
        }

        var report = await statistics.GetAsync(start, end, cancellationToken);
        return TypedResults.Json(report, Json);
    }

    private static async Task<IResult> GetClientsAsync(StatisticsQuery statistics, CdsClientRegistry registry, JwksKeyCache keys, CancellationToken cancellationToken)
    {
        var counts = (await statistics.GetClientsAsync(cancellationToken)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var clients = registry.Clients.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c =>
        {
            var fetched = string.IsNullOrWhiteSpace(c.JwksUrl) ? null : keys.LastFetched(c.Issuer);
            var stats = counts.GetValueOrDefault(c.Name);
            return new ClientStatus(
                c.Name,
                c.Issuer,
                c.Tenant,
                string.IsNullOrWhiteSpace(c.JwksUrl) ? "inline" : "url",
                string.IsNullOrWhiteSpace(c.JwksUrl) ? null : c.JwksUrl,
                fetched is not null,
                fetched,
                c.AllowedFhirServers,
                stats?.Calls ?? 0,
                stats?.LastCall,
                stats?.Rejected ?? new Dictionary<string, long> { ["401"] = 0, ["429"] = 0 });
        }).ToList();
        return TypedResults.Json(new ClientsResponse(clients), Json);
    }

    /// <summary>An ISO 8601 date-time (with offset, or UTC when none) or date (midnight UTC); null when absent.</summary>
    internal static DateTimeOffset? ParseTime(string? value, string name, List<string> errors)
    {
        if (value is null)
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];
        if (DateTimeOffset.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors.Add($"'{name}' must be an ISO 8601 date-time (e.g. 2026-11-27T10:00:00Z) or date.");
        return null;
    }

    private sealed record ClientsResponse([property: JsonPropertyName("clients")] IReadOnlyList<ClientStatus> Clients);

    private sealed record ClientStatus(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("tenant")] string? Tenant,
        [property: JsonPropertyName("jwksSource")] string JwksSource,
        [property: JsonPropertyName("jwksUrl")] string? JwksUrl,
        [property: JsonPropertyName("jwksFetched")] bool JwksFetched,
        [property: JsonPropertyName("jwksLastFetched")] DateTimeOffset? JwksLastFetched,
        [property: JsonPropertyName("allowedFhirServers")] IReadOnlyList<string> AllowedFhirServers,
        [property: JsonPropertyName("calls")] long Calls,
        [property: JsonPropertyName("lastCall")] DateTimeOffset? LastCall,
        [property: JsonPropertyName("rejected")] IReadOnlyDictionary<string, long> Rejected);
}
