namespace KetamineCds.Api.Diagnostics;

/// <summary>
/// Section <c>OpenTelemetry</c>: where metrics and traces go. Nothing is exported unless <see cref="Endpoint"/> is set
/// or <see cref="Console"/> is true; the meters are there either way (<c>dotnet-counters</c> reads them in process).
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>OTLP collector endpoint (e.g. <c>http://otel-collector:4317</c> for gRPC). Unset: no OTLP export.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Write metrics and spans to standard output (a quick look; not for production).</summary>
    public bool Console { get; set; }

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public string ServiceName { get; set; } = "KetamineCds.Api";

    public bool ExportEnabled => Endpoint is not null || Console;
}
