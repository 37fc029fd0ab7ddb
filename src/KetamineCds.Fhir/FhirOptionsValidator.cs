using Microsoft.Extensions.Options;

namespace KetamineCds.Fhir;

/// <summary>Cross-field rules of <see cref="FhirOptions"/> that data annotations cannot express.</summary>
internal sealed class FhirOptionsValidator : IValidateOptions<FhirOptions>
{
    public ValidateOptionsResult Validate(string? name, FhirOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AttemptTimeout < options.TotalTimeout
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Fhir:AttemptTimeout ({options.AttemptTimeout}) must be shorter than Fhir:TotalTimeout ({options.TotalTimeout}).");
    }
}
