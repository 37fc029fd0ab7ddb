namespace KetamineCds.Api.Hosting;

/// <summary>
/// The launch profile (<c>dotnet run</c>) asks for Development through <see cref="ProfileDefaultVariable"/>, which applies
/// only when the operator named no environment (ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT or --environment): a profile
/// that set ASPNETCORE_ENVIRONMENT itself would silently turn a Production run into Development.
/// </summary>
public static class LaunchEnvironment
{
    public const string ProfileDefaultVariable = "KETAMINECDS_DEFAULT_ENVIRONMENT";

    public static WebApplicationOptions Options(string[] args)
        => new() { Args = args, EnvironmentName = DefaultFor(args, Environment.GetEnvironmentVariable) };

    /// <summary>The profile's default environment, or null to let the host decide (explicit setting, else Production).</summary>
    public static string? DefaultFor(string[] args, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(variable);
        var named = !string.IsNullOrEmpty(variable("ASPNETCORE_ENVIRONMENT"))
            || !string.IsNullOrEmpty(variable("DOTNET_ENVIRONMENT"))
            || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase) || a.StartsWith("/environment", StringComparison.OrdinalIgnoreCase));
        var fallback = variable(ProfileDefaultVariable);
        return named || string.IsNullOrEmpty(fallback) ? null : fallback;
    }
}
