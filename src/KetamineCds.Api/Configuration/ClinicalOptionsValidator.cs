using KetamineCds.Core;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Configuration;

/// <summary>Checks the nested members of <see cref="ClinicalOptions"/> (data annotations only see the top level).</summary>
internal sealed class ClinicalOptionsValidator : IValidateOptions<ClinicalOptions>
{
    public ValidateOptionsResult Validate(string? name, ClinicalOptions options)
    {
        var bp = options.BloodPressure;
        var failures = new List<string>();
        if (bp is null)
        {
            failures.Add("Clinical:BloodPressure is required.");
        }
        else
        {
            if (bp.Systolic is < 60 or > 300)
            {
                failures.Add("Clinical:BloodPressure:Systolic must be between 60 and 300.");
            }

            if (bp.Diastolic is < 30 or > 200)
            {
                failures.Add("Clinical:BloodPressure:Diastolic must be between 30 and 200.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
