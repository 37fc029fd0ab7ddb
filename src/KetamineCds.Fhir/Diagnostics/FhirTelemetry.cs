using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;

namespace KetamineCds.Fhir.Diagnostics;

/// <summary>
/// Telemetry of FHIR requests. Spans on the activity source <c>KetamineCds</c> (one per request, tagged with the EHR's
/// authority, method and status: never the path, query or patient id) and meter <c>KetamineCds.Fhir</c>:
/// <c>ketamine_cds.fhir.request.duration</c> (ms) and <c>ketamine_cds.fhir.request.failures</c>, by authority.
/// The authority is bounded: only allow-listed FHIR servers are ever requested.
/// </summary>
public sealed class FhirTelemetry
{
    public const string SourceName = "KetamineCds";
    public const string MeterName = "KetamineCds.Fhir";
    public const string RequestSpan = "fhir.request";

    /// <summary>The one <c>KetamineCds</c> activity source of the process (the Api uses it too).</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;

    public FhirTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram<double>("ketamine_cds.fhir.request.duration", "ms", "Time of one FHIR request (retries included), by EHR authority and status.");
        _failures = meter.CreateCounter<long>("ketamine_cds.fhir.request.failures", "{request}", "FHIR requests that failed (error status or no answer), by EHR authority and error type.");
    }

    public static Activity? StartRequest(Uri url)
    {
        var activity = Source.StartActivity(RequestSpan, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("server.address", url.Authority);
            activity.SetTag("http.request.method", "GET");
        }

        return activity;
    }

    /// <summary>An answer arrived: <paramref name="status"/> of 400 and above counts as a failure.</summary>
    public void Answered(Activity? activity, Uri url, HttpStatusCode status, double elapsedMs)
    {
        var code = (int)status;
        activity?.SetTag("http.response.status_code", code);
        if (code >= 400)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        if (_duration.Enabled)
        {
            _duration.Record(elapsedMs, new("server.address", url.Authority), new("http.response.status_code", code));
        }

        if (code >= 400 && _failures.Enabled)
        {
            _failures.Add(1, new("server.address", url.Authority), new("error.type", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>No answer (connection error, timeout, open circuit, cancellation).</summary>
    public void Failed(Activity? activity, Uri url, Exception error, double elapsedMs)
    {
        var type = error.GetType().Name;
        if (activity is not null)
        {
            activity.SetTag("error.type", type);
            activity.SetStatus(ActivityStatusCode.Error);
        }

        if (_duration.Enabled)
        {
            _duration.Record(elapsedMs, new("server.address", url.Authority), new("error.type", type));
        }

        if (_failures.Enabled)
        {
            _failures.Add(1, new("server.address", url.Authority), new("error.type", type));
        }
    }
}
