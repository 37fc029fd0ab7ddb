using KetamineCds.Api.Configuration;

namespace KetamineCds.Api.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>The client id the demo EHR issued to the TRD assessment app (its cards carry the SMART link).</summary>
    public const string DemoClientId = "ketamine-trd-assessment-demo";

    /// <summary>
    /// The demo EHR, when <c>Demo:Enabled</c>: its key, store, authorization server, and its registration as a trusted
    /// EHR client (issuer <c>{PublicBaseUrl}/demo</c>, inline JWKS of a key generated now, FHIR server
    /// <c>{PublicBaseUrl}/demo/fhir</c>). When off, nothing is registered and the demo issuer is unknown.
    /// </summary>
    public static WebApplicationBuilder AddKetamineCdsDemo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        var enabled = builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:{nameof(DemoOptions.Enabled)}");
        if (!enabled)
        {
            return builder;
        }

        services.AddSingleton<DemoKeys>();
        services.AddSingleton<DemoPatientStore>();
        services.AddSingleton<DemoAuthorizationServer>();
        services.AddSingleton<DemoCardRenderer>();
        services.AddSingleton<DemoEhr>();
        services.AddHttpClient(DemoEhr.HttpClientName, static client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddOptions<CdsHooksOptions>().PostConfigure<DemoKeys>((cds, keys) =>
        {
            var baseUrl = cds.PublicBaseUrl.TrimEnd('/');
            cds.Clients.Add(new CdsClientOptions
            {
                Name = "Demo EHR",
                Issuer = baseUrl + "/demo",
                Jwks = keys.JwksJson,
                AllowedFhirServers = [baseUrl + "/demo/fhir"],
                Smart = new Smart.SmartClientOptions { ClientId = DemoClientId },
            });
        });
        return builder;
    }
}
