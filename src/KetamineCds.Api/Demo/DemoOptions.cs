namespace KetamineCds.Api.Demo;

/// <summary>The demo EHR (<c>Demo</c> section). Off unless configured; on in appsettings.Development.json.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Serve <c>/demo</c> (EHR page, FHIR server, SMART authorization) and trust the demo's signing key.</summary>
    public bool Enabled { get; set; }
}
