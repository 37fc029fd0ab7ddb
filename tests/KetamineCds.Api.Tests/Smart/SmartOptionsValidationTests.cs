using KetamineCds.Api.Hosting;
using KetamineCds.Api.Smart;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Tests.Smart;

/// <summary>A SMART registration that cannot work stops start-up with a message naming the key.</summary>
public sealed class SmartOptionsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["CdsHooks:PublicBaseUrl"] = "https://cds.example.org",
        ["CdsHooks:Clients:0:Name"] = "Epic",
        ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
        ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
        ["CdsHooks:Clients:0:AllowedFhirServers:0"] = "https://ehr.example.org/fhir/R4",
        ["CdsHooks:Clients:0:Smart:ClientId"] = "trd-app",
        ["CdsHooks:Clients:0:Smart:ClientSecret"] = "s3cret-value",
    };

    [Fact]
    public void Valid_registration_starts()
    {
        using var app = Build(Valid);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("CdsHooks:Clients:0:Smart:ClientId", "", "CdsHooks:Clients:0:Smart:ClientSecret is set without")]
    [InlineData("CdsHooks:Clients:0:AllowedFhirServers:0", null, "CdsHooks:Clients:0:Smart:ClientId is set but")]
    public void Unusable_registration_fails_start_up_naming_the_key(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };
        if (value is null)
        {
            settings.Remove(key);
        }

        var ex = Assert.Throws<OptionsValidationException>(() =>
        {
            using var app = Build(settings);
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        });

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.Contains("s3cret-value", StringComparison.Ordinal));
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = typeof(Program).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKetamineCds();
        builder.Services.AddSmartApp();
        return builder.Build();
    }
}
