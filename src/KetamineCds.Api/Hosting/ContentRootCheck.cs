namespace KetamineCds.Api.Hosting;

/// <summary>
/// Warns when the service was started from a folder without its <c>appsettings.json</c> (<c>dotnet /opt/app/KetamineCds.Api.dll</c>
/// from elsewhere): ASP.NET Core reads settings from the content root, the current folder, so the shipped settings
/// (logging levels among them) are silently skipped and relative paths such as <c>Storage:DataDirectory</c> resolve
/// there. The content root is not moved: a deployment that relies on it keeps its data where it is.
/// </summary>
internal static partial class ContentRootCheck
{
    public const string SettingsFile = "appsettings.json";

    public static WebApplication WarnWhenSettingsAreNotInContentRoot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var contentRoot = app.Environment.ContentRootPath;
        var appFolder = AppContext.BaseDirectory;
        if (!File.Exists(Path.Combine(contentRoot, SettingsFile)) && File.Exists(Path.Combine(appFolder, SettingsFile)))
        {
            LogSettingsNotInContentRoot(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ContentRootCheck).FullName!), contentRoot, appFolder);
        }

        return app;
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "No " + SettingsFile + " in the content root {ContentRoot}: the service's shipped settings are not loaded and relative paths (Storage:DataDirectory) resolve there. Start it from {AppFolder} (as the systemd unit and the container do) or pass --contentRoot.")]
    private static partial void LogSettingsNotInContentRoot(ILogger logger, string contentRoot, string appFolder);
}
