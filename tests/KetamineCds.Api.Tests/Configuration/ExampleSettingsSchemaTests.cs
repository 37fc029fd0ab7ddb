using System.Text.RegularExpressions;
using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Configuration;

namespace KetamineCds.Api.Tests.Configuration;

/// <summary>appsettings.example.json and the options types agree: every key in it is known, every known key is shown in it.</summary>
public sealed partial class ExampleSettingsSchemaTests
{
    private static IConfigurationRoot Example()
        => new ConfigurationBuilder().AddJsonFile(Endpoints.RepoFiles.PathOf("appsettings.example.json"), optional: false).Build();

    [Fact]
    public void Every_key_in_the_example_is_known()
        => Assert.Empty(ConfigurationSchema.UnknownKeys(Example()));

    [Fact]
    public void Every_known_key_is_documented_in_the_example()
    {
        var documented = Example().AsEnumerable()
            .Select(kv => Index().Replace(kv.Key, ":{n}"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = ConfigurationSchema.KnownKeys().Where(k => !documented.Contains(k) && !documented.Any(d => d.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.True(missing.Count == 0, "Not in appsettings.example.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_schema_sees_nested_objects_lists_of_objects_and_lists_of_values()
    {
        var known = ConfigurationSchema.KnownKeys();

        Assert.Contains("Clinical:BloodPressure:Systolic", known);
        Assert.Contains("CdsHooks:Clients:{n}:Issuer", known);
        Assert.Contains("CdsHooks:Clients:{n}:AllowedFhirServers:{n}", known);
        Assert.Contains("Fhir:MaxRetries", known);
    }

    [GeneratedRegex(@":\d+(?=:|$)")]
    private static partial Regex Index();
}
