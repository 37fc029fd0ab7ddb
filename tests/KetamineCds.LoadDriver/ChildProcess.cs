using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace KetamineCds.LoadDriver;

/// <summary>
/// A server under test in its own process: start, readiness, memory from /proc (VmRSS sampled, VmHWM peak) and
/// garbage collections counted from the runtime's GC events over EventPipe (what dotnet-counters reads).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly long[] _gcCounts = new long[3];
    private EventPipeSession? _session;
    private Task? _eventLoop;
    private readonly CancellationTokenSource _sampling = new();
    private Task? _sampler;
    private long _sampledPeakRss;

    private readonly bool _dotnet;

    private ChildProcess(Process process, bool dotnet)
    {
        _process = process;
        _dotnet = dotnet;
    }

    public int Id => _process.Id;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + fileName);
        // Drain the child's console so a full pipe never blocks it; the output is not kept (it never holds patient data, but nobody reads it).
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  [child] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // GC events come over EventPipe from .NET processes only (the Node reference service has none).
        return new ChildProcess(process, fileName != "node");
    }

    /// <summary>Polls <paramref name="readyUrl"/> until 200; returns the time from process start.</summary>
    public async Task<TimeSpan> WaitReadyAsync(HttpClient client, Uri readyUrl, TimeSpan timeout)
    {
        var started = _process.StartTime.ToUniversalTime();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The child process exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await client.GetAsync(readyUrl).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var ready = DateTime.UtcNow - started;
                    StartMonitoring();
                    return ready;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        throw new TimeoutException("The child process did not become ready in " + timeout);
    }

    private void StartMonitoring()
    {
        try
        {
            if (_dotnet)
            {
                StartGcEvents();
            }
        }
        catch (Exception e) when (e is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            Console.Error.WriteLine("  (GC events unavailable: " + e.Message + ")");
        }

        StartRssSampler();
    }

    private void StartGcEvents()
    {
        var client = new DiagnosticsClient(_process.Id);
        _session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC)],
            requestRundown: false);
        var source = new EventPipeEventSource(_session.EventStream);
        source.Clr.GCStart += e => Interlocked.Increment(ref _gcCounts[Math.Clamp(e.Depth, 0, 2)]);
        _eventLoop = Task.Run(source.Process);
    }

    private void StartRssSampler()
    {
        _sampler = Task.Run(async () =>
        {
            while (!_sampling.IsCancellationRequested)
            {
                var rss = ReadStatusKb("VmRSS:");
                if (rss > Interlocked.Read(ref _sampledPeakRss))
                {
                    Interlocked.Exchange(ref _sampledPeakRss, rss);
                }

                try
                {
                    await Task.Delay(50, _sampling.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>GC counts by generation since monitoring started (events arrive with a short delay).</summary>
    public (long Gen0, long Gen1, long Gen2) GcCounts => (Interlocked.Read(ref _gcCounts[0]), Interlocked.Read(ref _gcCounts[1]), Interlocked.Read(ref _gcCounts[2]));

    /// <summary>Highest RSS sampled since the last reset, in MB.</summary>
    public double TakePeakRssMb()
    {
        var current = ReadStatusKb("VmRSS:");
        var peak = Math.Max(Interlocked.Exchange(ref _sampledPeakRss, current), current);
        return peak / 1024.0;
    }

    public double HighWaterMarkMb => ReadStatusKb("VmHWM:") / 1024.0;

    private long ReadStatusKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _sampling.CancelAsync().ConfigureAwait(false);
        if (_sampler is not null)
        {
            await _sampler.ConfigureAwait(false);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _session?.Dispose();
        if (_eventLoop is not null)
        {
            await Task.WhenAny(_eventLoop, Task.Delay(2000)).ConfigureAwait(false);
        }

        _process.Dispose();
        _sampling.Dispose();
    }
}
