using KetamineCds.Api.Demo;
using KetamineCds.Api.Admin;
using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Security;
using KetamineCds.Api.Smart;
using Microsoft.Extensions.Options;

WebApplication? app = null;
try
{
    var builder = WebApplication.CreateBuilder(LaunchEnvironment.Options(args));
    builder.AddKetamineCdsConsoleLogging();
    builder.AddKetamineCds();
    builder.AddKetamineCdsTelemetry();
    builder.AddCdsSecurity();
    builder.AddKetamineCdsStorage();
    builder.Services.AddSmartApp();
    builder.AddKetamineCdsDemo();

    // Unknown keys and placeholders first, before anything binds options: a misspelt key is usually the cause of the rest.
    ConfigurationFileCheckValidator.ThrowIfInvalid(builder.Configuration);
    app = builder.Build();

    // Every setting is checked here, before anything is logged or listened on (the host would log its own stack trace).
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    app.WarnWhenSettingsAreNotInContentRoot();
    app.UseKetamineCdsTelemetry();
    app.UseKetamineCdsErrorHandling();
    app.UseKetamineCdsStorage();
    app.UseCdsSecurity();
    app.MapCdsHooks();
    app.MapSmartApp();
    app.MapHealthEndpoints();
    app.MapAdmin();
    app.MapKetamineCdsDemo();
    app.MapAdminPage();
    await app.StartAsync();
}
catch (Exception ex) when (StartupFailure.IsReportable(ex))
{
    // A bad setting: one message naming the key on stderr and exit code 1, not a stack trace and an abort.
    StartupFailure.Report(ex, Console.Error);
    if (app is not null)
    {
        await app.DisposeAsync(); // writes out what the asynchronous console logger still holds
    }

    return StartupFailure.ExitCode;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
