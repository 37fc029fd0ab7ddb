using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Configuration;

/// <summary>
/// Marker options whose start-up validation checks the raw configuration: no unknown key under an owned section
/// (<see cref="ConfigurationSchema"/>) and no placeholder value copied from <c>appsettings.example.json</c>.
/// </summary>
public sealed class ConfigurationFileCheck
{
}

internal sealed class ConfigurationFileCheckValidator(IConfiguration configuration) : IValidateOptions<ConfigurationFileCheck>
{
    /// <summary>Text that only the example file's placeholders contain (its host names and "replace-me" key material).</summary>
    internal static readonly string[] Placeholders = ["replace-me", "example-hospital"];

    public static void ThrowIfInvalid(IConfiguration configuration)
    {
        var result = new ConfigurationFileCheckValidator(configuration).Validate(null, new ConfigurationFileCheck());
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ConfigurationFileCheck), result.Failures);
        }
    }

    public ValidateOptionsResult Validate(string? name, ConfigurationFileCheck options)
    {
        var failures = new List<string>();
        foreach (var key in ConfigurationSchema.UnknownKeys(configuration))
        {
            failures.Add($"{key} is not a setting this service knows (misspelt? see appsettings.example.json).");
        }

        foreach (var section in ConfigurationSchema.Sections.Keys)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null && Placeholders.Any(p => value.Contains(p, StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{key} still holds a placeholder value from appsettings.example.json; set this installation's value.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
