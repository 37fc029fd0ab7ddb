using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Configuration;

/// <summary>
/// Authentication off is a Development convenience: in any other environment start-up refuses it unless
/// <see cref="CdsHooksOptions.InsecureAllowUnauthenticatedCallsOutsideDevelopment"/> says the operator means it.
/// </summary>
internal sealed class AuthenticationGuard(IHostEnvironment environment) : IValidateOptions<CdsHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
        => options.RequireAuthentication || environment.IsDevelopment() || options.InsecureAllowUnauthenticatedCallsOutsideDevelopment
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{CdsHooksOptions.SectionName}:RequireAuthentication is false in the '{environment.EnvironmentName}' environment: any caller could " +
                "invoke the services. Set it to true (and register the EHRs under CdsHooks:Clients). To run without authentication anyway, " +
                $"also set {CdsHooksOptions.SectionName}:{nameof(CdsHooksOptions.InsecureAllowUnauthenticatedCallsOutsideDevelopment)}=true.");
}
