using Microsoft.Playwright;

namespace KetamineCds.BrowserTests;

/// <summary>
/// One headless Debian chromium (Playwright for .NET driving <c>/usr/bin/chromium</c>, or <c>CHROMIUM_PATH</c>) and
/// one demo server per test class. Screenshots go to <c>artifacts/</c> next to the project (git-ignored).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public DemoServer Server { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public static string ArtifactsDirectory { get; } = Path.Combine(RepositoryRoot(), "tests", "KetamineCds.BrowserTests", "artifacts");

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();

        // The first hook call warms the engine and the Firely parser; a busy 2-core CI machine needs headroom.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    /// <summary>Debian's headless chromium (or <c>CHROMIUM_PATH</c>).</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh context (own cookies and storage) and page on the demo server.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(1280, 900);

    /// <summary>A fresh context and page with the given viewport (e.g. an EHR side pane, 400 px wide).</summary>
    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name)
        => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }

    private static string RepositoryRoot()
        => typeof(BrowserFixture).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
}
