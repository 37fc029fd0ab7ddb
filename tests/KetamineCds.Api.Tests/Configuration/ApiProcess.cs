using System.Diagnostics;
using System.Text;

namespace KetamineCds.Api.Tests.Configuration;

/// <summary>The built service (KetamineCds.Api.dll next to the tests) run as a real child process, configured by environment variables.</summary>
internal sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _matched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _awaited;

    private ApiProcess(Dictionary<string, string> environment, bool viaAppHost, string? workingDirectory)
    {
        var directory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo(viaAppHost ? Path.Combine(directory, "KetamineCds.Api") : "dotnet")
        {
            WorkingDirectory = workingDirectory ?? directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!viaAppHost)
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Path.Combine(directory, "KetamineCds.Api.dll"));
        }

        // Nothing from the test process's own environment may configure the child (other tests set variables).
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.Contains("__", StringComparison.Ordinal) || key.EndsWith("_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || key.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase) || key.StartsWith("KETAMINECDS_", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Started as <c>dotnet exec KetamineCds.Api.dll</c>, or (<paramref name="viaAppHost"/>) through the app host as the
    /// deployment does; from the service's folder unless <paramref name="workingDirectory"/> is given.
    /// </summary>
    public static ApiProcess Start(Dictionary<string, string> environment, bool viaAppHost = false, string? workingDirectory = null)
        => new(environment, viaAppHost, workingDirectory);

    public int Id => _process.Id;

    /// <summary>Waits for the process to end (a start-up refusal ends it) and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (or the process ends).</summary>
    public async Task<bool> WaitForOutputAsync(string text)
    {
        lock (_gate)
        {
            _awaited = text;
            _matched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // one wait at a time
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Task matched;
        lock (_gate)
        {
            matched = _matched.Task;
        }

        await Task.WhenAny(matched, _process.WaitForExitAsync(timeout.Token));
        return Output.Contains(text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
            if (_awaited is not null && line.Contains(_awaited, StringComparison.Ordinal))
            {
                _matched.TrySetResult();
            }
        }
    }
}
