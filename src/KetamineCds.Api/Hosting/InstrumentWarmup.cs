using System.Diagnostics.Metrics;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// The generic code behind the hook endpoint's counters and histogram (<c>Counter&lt;long&gt;.Add</c> with two and three
/// tags, <c>Histogram&lt;double&gt;.Record</c>), compiled by recording on instruments of a meter of the warm-up's own,
/// which no exporter listens to: the service's statistics (<see cref="Diagnostics.CdsMetrics"/>) count nothing.
/// </summary>
internal static class InstrumentWarmup
{
    public const string MeterName = "KetamineCds.Warmup";

    public static void Run(int iterations)
    {
        using var meter = new Meter(MeterName);
        var calls = meter.CreateCounter<long>("warm-up.calls");
        var duration = meter.CreateHistogram<double>("warm-up.duration");
        for (var i = 0; i < iterations; i++)
        {
            var service = new KeyValuePair<string, object?>("service", "warm-up");
            calls.Add(1, service, new("status", 200));
            calls.Add(1, service, new("topic", "warm-up"), new("indicator", "info"));
            duration.Record(i, service);
            duration.Record(i);
        }
    }
}
