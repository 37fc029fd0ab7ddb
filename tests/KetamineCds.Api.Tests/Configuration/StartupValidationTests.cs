using KetamineCds.Api.Admin;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Tests.Configuration;

/// <summary>A bad configuration value stops the service at start-up with a message naming the key.</summary>
public sealed class StartupValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["CdsHooks:PublicBaseUrl"] = "https://cds.example.org",
        ["CdsHooks:Clients:0:Name"] = "Epic",
        ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
        ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
        ["CdsHooks:Clients:0:AllowedFhirServers:0"] = "https://ehr.example.org/fhir/R4",
    };

    public static TheoryData<string, string?, string> BadValues => new()
    {
        { "CdsHooks:PublicBaseUrl", null, "CdsHooks:PublicBaseUrl" },
        { "CdsHooks:PublicBaseUrl", "http://cds.example.org", "CdsHooks:PublicBaseUrl must use https" },
        { "CdsHooks:PublicBaseUrl", "not a url", "CdsHooks:PublicBaseUrl must be an absolute URL" },
        { "CdsHooks:Clients:0:Issuer", "", "CdsHooks:Clients:0:Issuer is required" },
        { "CdsHooks:Clients:0:JwksUrl", "http://ehr.example.org/jwks.json", "CdsHooks:Clients:0:JwksUrl must use https" },
        { "CdsHooks:Clients:0:AllowedFhirServers:0", "http://ehr.example.org/fhir", "CdsHooks:Clients:0:AllowedFhirServers:0 must use https" },
        { "CdsHooks:Clients:0:Jwks", "{\"nokeys\":1}", "CdsHooks:Clients:0:Jwks is not a JSON Web Key Set" },
        { "CdsHooks:AllowedAlgorithms:0", "HS256", "must not contain 'HS256'" },
        { "CdsHooks:AllowedAlgorithms:1", "none", "must not contain 'none'" },
        { "CdsHooks:CorsAllowedOrigins:0", "*", "CdsHooks:CorsAllowedOrigins entry '*'" },
        { "CdsHooks:MaxRequestBodyBytes", "10", "MaxRequestBodyBytes" },
        { "CdsHooks:MaxConcurrentHookCalls", "0", "CdsHooks:MaxConcurrentHookCalls must be between 1 and 100000" },
        { "CdsHooks:MaxConcurrentHookCalls", "-5", "CdsHooks:MaxConcurrentHookCalls must be between 1 and 100000" },
        { "CdsHooks:HookCallQueueLimit", "-1", "CdsHooks:HookCallQueueLimit must be between 0 and 1000000" },
        { "Clinical:MinimumTrialWeeks", "0", "MinimumTrialWeeks" },
        { "Clinical:BloodPressure:Systolic", "20", "Clinical:BloodPressure:Systolic" },
        { "Fhir:MaxPages", "0", "MaxPages" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_value_fails_start_up_naming_the_key(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };

        var failures = Failures(() => Validate(settings));

        Assert.Contains(failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Second_client_with_the_same_issuer_is_refused()
    {
        var settings = new Dictionary<string, string?>(Valid)
        {
            ["CdsHooks:Clients:1:Name"] = "Copy",
            ["CdsHooks:Clients:1:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:1:JwksUrl"] = "https://ehr.example.org/jwks.json",
        };

        var failures = Failures(() => Validate(settings));

        Assert.Contains(failures, f => f.Contains("CdsHooks:Clients:1:Issuer", StringComparison.Ordinal) && f.Contains("twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Loopback_http_is_accepted_for_local_runs()
    {
        var settings = new Dictionary<string, string?>(Valid)
        {
            ["CdsHooks:PublicBaseUrl"] = "http://localhost:5080",
            ["CdsHooks:Clients:0:JwksUrl"] = "http://127.0.0.1:9000/jwks.json",
            ["CdsHooks:Clients:0:AllowedFhirServers:0"] = "http://[::1]:8080/fhir",
        };

        Validate(settings);
    }

    [Fact]
    public void Valid_configuration_binds_every_documented_key()
    {
        var settings = new Dictionary<string, string?>(Valid)
        {
            ["CdsHooks:Clients:0:Tenant"] = "hospital-a",
            ["CdsHooks:MaxTokenLifetime"] = "00:15:00",
            ["Clinical:MinimumTrialWeeks"] = "8",
        };

        using var app = Build(settings);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var cds = app.Services.GetRequiredService<IOptions<CdsHooksOptions>>().Value;

        Assert.True(cds.RequireAuthentication);
        Assert.True(cds.AllowAnonymousDiscovery);
        Assert.Equal(5 * 1024 * 1024, cds.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromMinutes(15), cds.MaxTokenLifetime);
        Assert.Equal("hospital-a", Assert.Single(cds.Clients).Tenant);
        Assert.Equal(["https://ehr.example.org/fhir/R4"], cds.Clients[0].AllowedFhirServers);
        Assert.Equal(8, app.Services.GetRequiredService<IOptions<KetamineCds.Core.ClinicalOptions>>().Value.MinimumTrialWeeks);
    }

    [Fact]
    public void The_example_settings_file_is_refused_only_for_its_placeholders()
    {
        var example = ExampleSettings();

        var failures = Failures(() => Validate(example));

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Contains("placeholder value from appsettings.example.json", f, StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CdsHooks:PublicBaseUrl ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CdsHooks:Clients:1:Jwks ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_example_settings_file_with_real_values_is_valid()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var p = key.ExportParameters(false);
        var jwks = $$"""{"keys":[{"kty":"EC","crv":"P-384","kid":"k1","x":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.Y)}}","alg":"ES384","use":"sig"}]}""";
        var settings = ExampleSettings()
            .Where(kv => kv.Key.StartsWith("CdsHooks:", StringComparison.Ordinal) || kv.Key.StartsWith("Fhir:", StringComparison.Ordinal) || kv.Key.StartsWith("Clinical:", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value?.Replace("example-hospital", "st-elsewhere", StringComparison.Ordinal));
        settings["CdsHooks:Clients:1:Jwks"] = jwks;

        Validate(settings);
    }

    public static TheoryData<string, string> BadJwks => new()
    {
        { """{"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA","d":"AA"}]}""", "key 0 contains private or symmetric key material ('d')" },
        { """{"keys":[{"kty":"RSA","n":"AA","e":"AQAB","p":"AA"}]}""", "('p')" },
        { """{"keys":[{"kty":"RSA","n":"AA","e":"AQAB","qi":"AA"}]}""", "('qi')" },
        { """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""", "('k')" },
        { """{"keys":[]}""", "has no usable public signing key" },
        { """{"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA","use":"enc"}]}""", "has no usable public signing key" },
        { """{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AA"}]}""", "has no usable public signing key" },
        { """[1]""", "is not a JSON Web Key Set" },
    };

    [Theory]
    [MemberData(nameof(BadJwks))]
    public void Unusable_inline_jwks_is_refused(string jwks, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { ["CdsHooks:Clients:0:Jwks"] = jwks };

        var failures = Failures(() => Validate(settings));

        Assert.Contains(failures, f => f.StartsWith("CdsHooks:Clients:0:Jwks ", StringComparison.Ordinal) && f.Contains(expected, StringComparison.Ordinal));
    }

    public static TheoryData<string> UnknownKeys => new()
    {
        "CdsHooks:RequireAuthentiction",
        "CdsHooks:Clients:0:JwksUri",
        "CdsHooks:PublicBaseUrl:Extra",
        "Fhir:MaxRetry",
        "Clinical:BloodPressure:Systolc",
        "CdsHooks:Clients:0:Isuer",
    };

    [Theory]
    [MemberData(nameof(UnknownKeys))]
    public void Unknown_key_under_an_owned_section_is_refused(string key)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = "1" };

        var failures = Failures(() => Validate(settings));

        Assert.Contains($"{key} is not a setting this service knows (misspelt? see appsettings.example.json).", failures);
    }

    [Fact]
    public void Known_keys_in_any_case_and_unowned_sections_are_accepted()
    {
        var settings = new Dictionary<string, string?>(Valid)
        {
            ["cdshooks:clients:0:tenant"] = "t",
            ["Fhir:MAXPAGES"] = "3",
            ["Clinical:BloodPressure:Diastolic"] = "85",
            ["Logging:LogLevel:Anything"] = "Warning",
            ["SomeoneElses:Section"] = "x",
        };

        Validate(settings);
    }

    [Fact]
    public void Authentication_off_outside_development_is_refused_without_the_override()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["CdsHooks:RequireAuthentication"] = "false" };

        var failures = Failures(() => Validate(settings));

        Assert.Contains(failures, f => f.StartsWith("CdsHooks:RequireAuthentication is false in the 'Production' environment", StringComparison.Ordinal)
            && f.Contains("CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment=true", StringComparison.Ordinal));
        settings["CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true";
        Validate(settings);
        Validate(new Dictionary<string, string?>(Valid) { ["CdsHooks:RequireAuthentication"] = "false" }, "Development");
    }

    private static Dictionary<string, string?> ExampleSettings()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Endpoints.RepoFiles.PathOf("appsettings.example.json"), optional: false).Build();
        return configuration.AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>The validation messages start-up fails with (one options type, or several aggregated).</summary>
    private static List<string> Failures(Action start)
    {
        var ex = Assert.ThrowsAny<Exception>(start);
        var exceptions = ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [ex];
        Assert.All(exceptions, e => Assert.IsType<OptionsValidationException>(e));
        return [.. exceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
    }

    internal static void Validate(Dictionary<string, string?> settings, string environment = "Production")
    {
        using var app = Build(settings, environment);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    private static WebApplication Build(Dictionary<string, string?> settings, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ApplicationName = typeof(Program).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:PatientKeySecret"] = "startup-test-patient-key-secret",
            ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "ketaminecds-tests", Guid.NewGuid().ToString("N")),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKetamineCds();
        builder.AddKetamineCdsStorage();
        return builder.Build();
    }
}
