using System.Diagnostics;
using KetamineCds.Fhir.Diagnostics;

namespace KetamineCds.Api.Diagnostics;

/// <summary>
/// The <c>KetamineCds</c> activity source: a span per hook call (service id, bounded hookInstance, HTTP status) and
/// one for the engine's evaluation. <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null
/// without a listener, so the hot path pays one check. Tags never carry patient ids, tokens or URLs.
/// </summary>
public static class CdsTelemetry
{
    public const string SourceName = FhirTelemetry.SourceName;

    public const string HookSpan = "cds.hook";
    public const string EvaluateSpan = "cds.engine.evaluate";

    /// <summary>Longest hookInstance kept on a span (caller-controlled text; a UUID is 36 characters).</summary>
    public const int MaxHookInstanceLength = 64;

    public static ActivitySource Source => FhirTelemetry.Source;

    public static Activity? StartHook(string serviceId, string? hookInstance)
    {
        var activity = Source.StartActivity(HookSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("cds.service", serviceId);
            HookInstance(activity, hookInstance);
        }

        return activity;
    }

    /// <summary>Adds the hookInstance (cut to <see cref="MaxHookInstanceLength"/> characters) once the request is parsed.</summary>
    public static void HookInstance(Activity? activity, string? hookInstance)
    {
        if (activity is { IsAllDataRequested: true } && hookInstance is not null)
        {
            activity.SetTag("cds.hook_instance", hookInstance.Length <= MaxHookInstanceLength ? hookInstance : hookInstance[..MaxHookInstanceLength]);
        }
    }

    public static void Answered(Activity? activity, int status)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
