using System.Diagnostics;
using System.Net;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>
/// The built service as a real child process (<c>dotnet KetamineCds.Api.dll</c>, real Kestrel on a loopback port of
/// the storage range 21000-21999), Development environment (EHR authentication off), given storage and admin key.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string AdminKey = "crash-test-admin-key";

    private readonly Process _process;

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public static async Task<ServiceProcess> StartAsync(int port, TestDatabase database, CancellationToken cancellationToken)
    {
        var folder = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder, // the content root: appsettings*.json of the service are copied here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "KetamineCds.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["CdsHooks__PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__Provider"] = database.Provider.ToString();
        start.Environment["Storage__ConnectionString"] = database.ConnectionString;
        start.Environment["Storage__PatientKeySecret"] = "crash-test-patient-key-secret";
        start.Environment["Admin__ApiKeys__0"] = AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, port);
        await service.WaitUntilLiveAsync(cancellationToken);
        return service;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Polls until <paramref name="condition"/> holds (an asynchronous effect such as the audit writer), at most three minutes (generous: the CI machine may be busy).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            while (!await condition())
            {
                await Task.Delay(50, limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The service process did not reach the expected state within three minutes.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilLiveAsync(CancellationToken cancellationToken)
    {
        await EventuallyAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The service exited with code {_process.ExitCode} during start-up.");
                }

                try
                {
                    using var response = await Client.GetAsync("/health/live", cancellationToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            cancellationToken);
    }
}
