using ZLogger;

namespace KetamineCds.Api.Diagnostics;

/// <summary>
/// The console log: ZLogger instead of the framework's console logger, one line per event in the framework's words
/// (<c>info: Category[EventId] message</c>), written in batches from a queue without a lock. The framework's logger takes
/// a lock and wakes its writer thread for every line; with one Information line per hook call that was 15-20% of the
/// service's CPU (docs/performance.md). Level filters (<c>Logging:LogLevel</c>) apply as before.
/// </summary>
public static class ConsoleLogging
{
    /// <summary>Messages at or above this level go to stderr (<c>Logging:Console:LogToStandardErrorThreshold</c>, default none).</summary>
    public const string StandardErrorThresholdKey = "Logging:Console:LogToStandardErrorThreshold";

    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static WebApplicationBuilder AddKetamineCdsConsoleLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var stderrFrom = builder.Configuration.GetValue(StandardErrorThresholdKey, LogLevel.None);
        builder.Logging.ClearProviders();
        // The generic host logs a start-up failure (e.g. the port in use) as an error with its stack trace before
        // Program reports it in one line (StartupFailure); a faulted background service is still logged, at Critical,
        // with its exception (the host stops).
        builder.Logging.AddFilter(HostCategory, LogLevel.Critical);
        builder.Logging.AddEventSourceLogger(); // dotnet-trace and dotnet-monitor still see the events
        builder.Logging.AddZLoggerConsole(options =>
        {
            options.LogToStandardErrorThreshold = stderrFrom;
            options.UsePlainTextFormatter(formatter => formatter.SetPrefixFormatter(
                $"{0}: {1}[{2}] ",
                static (in MessageTemplate template, in LogInfo info) => template.Format(Level(info.LogLevel), info.Category, info.EventId.Id)));
        });
        return builder;
    }

    /// <summary>The framework console logger's level names, so log readers and alerts keep working.</summary>
    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
