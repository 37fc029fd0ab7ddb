using Dapper;

namespace KetamineCds.Storage;

/// <summary>
/// Statistics from storage (so they survive restarts and add up over instances). A call counts when it reached the
/// service (every status but 401 and 429, which are counted as rejections per client). Cards count when shown in the
/// period; their feedback is joined by card uuid. Latency percentiles are nearest-rank over the period's calls.
/// </summary>
public sealed class StatisticsQuery(StorageDatabase database)
{
    private const string RejectedStatuses = "(401, 429)";

    public async Task<StatisticsReport> GetAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var range = new { from = StorageDatabase.ToUnixMs(from), to = StorageDatabase.ToUnixMs(to) };
        await using var connection = await database.OpenAsync(cancellationToken);

        var durations = (await connection.QueryAsync<(string ServiceId, double DurationMs)>(new CommandDefinition(
            $"SELECT service_id, duration_ms FROM hook_call WHERE at >= @from AND at < @to AND status NOT IN {RejectedStatuses}",
            range,
            cancellationToken: cancellationToken))).ToList();

        var shown = (await connection.QueryAsync<(string ServiceId, string? Topic, string? Indicator, long Shown)>(new CommandDefinition(
            "SELECT service_id, topic, indicator, COUNT(*) FROM hook_card WHERE at >= @from AND at < @to GROUP BY service_id, topic, indicator",
            range,
            cancellationToken: cancellationToken))).ToList();

        var outcomes = (await connection.QueryAsync<(string ServiceId, string? Topic, string? Indicator, string Outcome, string? Code, string? Display, long Count)>(new CommandDefinition(
            """
            SELECT c.service_id, c.topic, c.indicator, f.outcome, f.override_code, MAX(f.override_display), COUNT(*)
            FROM feedback f JOIN (SELECT DISTINCT service_id, card_uuid, topic, indicator FROM hook_card WHERE at >= @from AND at < @to) c
              ON c.card_uuid = f.card_uuid AND c.service_id = f.service_id
            GROUP BY c.service_id, c.topic, c.indicator, f.outcome, f.override_code
            """,
            range,
            cancellationToken: cancellationToken))).ToList();

        var clients = (await connection.QueryAsync<(string Name, long Calls, long? LastCall, long Rejected401, long Rejected429)>(new CommandDefinition(
            $"""
            SELECT client_name,
                   SUM(CASE WHEN status NOT IN {RejectedStatuses} THEN 1 ELSE 0 END),
                   MAX(CASE WHEN status NOT IN {RejectedStatuses} THEN at END),
                   SUM(CASE WHEN status = 401 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = 429 THEN 1 ELSE 0 END)
            FROM hook_call WHERE at >= @from AND at < @to AND client_name IS NOT NULL
            GROUP BY client_name ORDER BY client_name
            """,
            range,
            cancellationToken: cancellationToken))).ToList();

        var serviceIds = durations.Select(d => d.ServiceId).Concat(shown.Select(s => s.ServiceId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var services = serviceIds.Select(id =>
        {
            var latencies = durations.Where(d => d.ServiceId == id).Select(d => d.DurationMs).Order().ToArray();
            var cards = shown.Where(s => s.ServiceId == id)
                .OrderByDescending(s => s.Shown).ThenBy(s => s.Topic, StringComparer.Ordinal).ThenBy(s => s.Indicator, StringComparer.Ordinal)
                .Select(s =>
                {
                    var mine = outcomes.Where(o => o.ServiceId == id && o.Topic == s.Topic && o.Indicator == s.Indicator).ToList();
                    var reasons = mine.Where(o => o.Outcome == "overridden" && o.Code is not null)
                        .Select(o => new OverrideReasonStatistics(o.Code, o.Display, o.Count))
                        .OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal)
                        .ToList();
                    return new CardStatistics(
                        s.Topic,
                        s.Indicator,
                        s.Shown,
                        mine.Where(o => o.Outcome == "accepted").Sum(o => o.Count),
                        mine.Where(o => o.Outcome == "overridden").Sum(o => o.Count),
                        reasons);
                })
                .ToList();
            return new ServiceStatistics(id, latencies.Length, new LatencyStatistics(Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99)), cards);
        }).ToList();

        var clientStats = clients.Select(c => new ClientStatistics(
            c.Name,
            c.Calls,
            c.LastCall is { } last ? StorageDatabase.FromUnixMs(last) : null,
            new Dictionary<string, long> { ["401"] = c.Rejected401, ["429"] = c.Rejected429 })).ToList();

        return new StatisticsReport(from, to, services, clientStats);
    }

    /// <summary>Calls, last call and rejections of one client name over all time (for <c>/admin/clients</c>).</summary>
    public async Task<IReadOnlyList<ClientStatistics>> GetClientsAsync(CancellationToken cancellationToken = default)
        => (await GetAsync(DateTimeOffset.FromUnixTimeMilliseconds(0), DateTimeOffset.MaxValue.AddDays(-1), cancellationToken)).Clients;

    /// <summary>Nearest-rank percentile of sorted values, rounded to 0.01 ms; 0 when there are none.</summary>
    internal static double Percentile(double[] sorted, int percent)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank, 1, sorted.Length) - 1], 2);
    }
}
