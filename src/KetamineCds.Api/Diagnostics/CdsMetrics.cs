using System.Diagnostics.Metrics;
using KetamineCds.Core.Cards;

namespace KetamineCds.Api.Diagnostics;

/// <summary>
/// Service statistics for administrators, as .NET metrics (meter <c>KetamineCds</c>): watch them with
/// <c>dotnet-counters monitor -n KetamineCds.Api --counters KetamineCds</c> or any OpenTelemetry exporter.
/// Tags carry service ids, status codes, card topics and outcomes, never patient data.
/// </summary>
public sealed class CdsMetrics
{
    public const string MeterName = "KetamineCds";

    private readonly Counter<long> _hookCalls;
    private readonly Histogram<double> _hookDuration;
    private readonly Counter<long> _cards;
    private readonly Counter<long> _feedback;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _authFailures;

    public CdsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _hookCalls = meter.CreateCounter<long>("ketamine_cds.hook.calls", "{call}", "Hook calls by service and HTTP status.");
        _hookDuration = meter.CreateHistogram<double>("ketamine_cds.hook.duration", "ms", "Time to answer a hook call, FHIR fallback included.");
        _cards = meter.CreateCounter<long>("ketamine_cds.cards", "{card}", "Cards returned, by service, topic and indicator.");
        _feedback = meter.CreateCounter<long>("ketamine_cds.feedback", "{item}", "New feedback items, by service and outcome.");
        _rejections = meter.CreateCounter<long>("ketamine_cds.rejections", "{request}", "Requests refused before reaching a service, by client and reason.");
        _authFailures = meter.CreateCounter<long>("ketamine_cds.auth.failures", "{request}", "Client JWTs refused (401), by client and reason.");
    }

    public void HookAnswered(string serviceId, int status, double elapsedMs)
    {
        var service = new KeyValuePair<string, object?>("service", serviceId);
        _hookCalls.Add(1, service, new("status", status));
        _hookDuration.Record(elapsedMs, service);
    }

    public void CardsReturned(string serviceId, IReadOnlyList<CdsCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        foreach (var card in cards)
        {
            _cards.Add(1, new("service", serviceId), new("topic", card.Source.Topic?.Code), new("indicator", card.Indicator.ToString().ToLowerInvariant()));
        }
    }

    public void FeedbackReceived(string serviceId, string outcome, int count)
        => _feedback.Add(count, new("service", serviceId), new("outcome", outcome));

    /// <summary>A refused request: <paramref name="client"/> is the configured EHR name (null: anonymous), <paramref name="reason"/> a fixed code.</summary>
    public void Rejected(string? client, string reason)
        => _rejections.Add(1, new("client", client ?? "anonymous"), new("reason", reason));

    /// <summary>A refused client JWT: <paramref name="client"/> the registered EHR the token names (null: none), <paramref name="reason"/> a fixed code.</summary>
    public void AuthenticationFailed(string? client, string reason)
    {
        if (_authFailures.Enabled)
        {
            _authFailures.Add(1, new("client", client ?? "anonymous"), new("reason", reason));
        }
    }
}
