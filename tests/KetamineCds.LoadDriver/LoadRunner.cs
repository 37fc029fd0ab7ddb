using System.Diagnostics;
using System.Net.Http.Headers;

namespace KetamineCds.LoadDriver;

/// <summary>One measured run: a scenario at a number of concurrent callers.</summary>
internal sealed record RunResult(
    string Scenario, int Callers, int Requests, int Errors, double RequestsPerSecond,
    double P50Ms, double P95Ms, double P99Ms, long Gen0, long Gen1, long Gen2, double PeakRssMb, string? FirstError,
    IReadOnlyDictionary<string, int> ErrorsByStatus)
{
    /// <summary>The failed requests by answer: <c>503: 90, 504: 13</c> (a status code, or the exception type when no answer came).</summary>
    public string ErrorBreakdown => string.Join(", ", ErrorsByStatus.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}"));
}

/// <summary>
/// The first seconds of load after a server reports ready (one caller): the median latency in each second. A .NET
/// service's hot code is recompiled by the tiered JIT (and, with dynamic PGO, instrumented first) during its first
/// thousands of calls, so its latency falls over the first seconds; a Node service's settles sooner.
/// </summary>
internal sealed record SettleResult(string Server, IReadOnlyList<(int Requests, double P50Ms)> Seconds);

/// <summary>
/// Calls made one at a time with a pause between them, as an EHR makes them (a chart opens, an order is signed), on a
/// warm server: each call then pays the machine's cost of waking idle cores and threads, which back-to-back calls never
/// see.
/// </summary>
internal sealed record SpacedResult(string Server, int Calls, TimeSpan Spacing, double P50Ms, double P90Ms, double MaxMs);

/// <summary>A request template: where to post, the body and (optionally) one pre-signed token per request.</summary>
internal sealed record Scenario(string Name, Uri Url, byte[] Body, Func<int, string[]>? SignTokens)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>One request of the scenario, with <paramref name="token"/> as its bearer token when there is one.</summary>
    public HttpRequestMessage NewRequest(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = Json;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}

/// <summary>Closed-loop callers: each sends its next request as soon as the previous answer has been read.</summary>
internal static class LoadRunner
{
    public static async Task<RunResult> RunAsync(HttpClient client, Scenario scenario, int callers, int requests, TimeSpan maxDuration, ChildProcess server, int warmup)
    {
        // Warm-up (not measured): connections opened, JIT, caches.
        await DriveAsync(client, scenario, callers, warmup, maxDuration, new double[warmup], scenario.SignTokens?.Invoke(warmup)).ConfigureAwait(false);

        var tokens = scenario.SignTokens?.Invoke(requests);
        var latencies = new double[requests];
        var gcBefore = server.GcCounts;
        server.TakePeakRssMb();
        var clock = Stopwatch.StartNew();
        var (done, errors, firstError, byStatus) = await DriveAsync(client, scenario, callers, requests, maxDuration, latencies, tokens).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        await Task.Delay(200).ConfigureAwait(false); // GC events arrive over EventPipe with a short delay
        var gcAfter = server.GcCounts;

        var measured = latencies.AsSpan(0, done).ToArray();
        Array.Sort(measured);
        return new RunResult(
            scenario.Name, callers, done, errors, done / elapsed.TotalSeconds,
            Percentile(measured, 0.50), Percentile(measured, 0.95), Percentile(measured, 0.99),
            gcAfter.Gen0 - gcBefore.Gen0, gcAfter.Gen1 - gcBefore.Gen1, gcAfter.Gen2 - gcBefore.Gen2,
            server.TakePeakRssMb(), firstError, byStatus);
    }

    /// <summary>
    /// One caller for <paramref name="duration"/> right after ready, the median latency per second. A signed scenario gets
    /// <paramref name="maxRequests"/> tokens signed before the clock starts and ends early if they run out. Errors end the
    /// run with an exception.
    /// </summary>
    public static async Task<SettleResult> SettleAsync(HttpClient client, string server, Scenario scenario, TimeSpan duration, int maxRequests)
    {
        var tokens = scenario.SignTokens?.Invoke(maxRequests);
        var seconds = new List<List<double>>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < maxRequests && clock.Elapsed < duration; i++)
        {
            var second = (int)clock.Elapsed.TotalSeconds;
            var latency = await TimedCallAsync(client, server, scenario, tokens?[i]).ConfigureAwait(false);
            while (seconds.Count <= second)
            {
                seconds.Add([]);
            }

            seconds[second].Add(latency);
        }

        return new SettleResult(server, [.. seconds.Where(l => l.Count > 0).Select(l =>
        {
            var sorted = l.ToArray();
            Array.Sort(sorted);
            return (sorted.Length, Percentile(sorted, 0.50));
        })]);
    }

    /// <summary><paramref name="calls"/> calls, <paramref name="spacing"/> apart (from one answer to the next call). Errors end the run with an exception.</summary>
    public static async Task<SpacedResult> SpacedAsync(HttpClient client, string server, Scenario scenario, int calls, TimeSpan spacing)
    {
        var tokens = scenario.SignTokens?.Invoke(calls);
        var latencies = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            await Task.Delay(spacing).ConfigureAwait(false);
            latencies[i] = await TimedCallAsync(client, server, scenario, tokens?[i]).ConfigureAwait(false);
        }

        Array.Sort(latencies);
        return new SpacedResult(server, calls, spacing, Percentile(latencies, 0.50), Percentile(latencies, 0.90), latencies[^1]);
    }

    /// <summary>One call of the scenario, its latency in ms (answer read); anything but 200 ends the run with an exception.</summary>
    private static async Task<double> TimedCallAsync(HttpClient client, string server, Scenario scenario, string? token)
    {
        using var request = scenario.NewRequest(token);
        var start = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        var latency = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return (int)response.StatusCode == 200
            ? latency
            : throw new InvalidOperationException($"{server}: HTTP {(int)response.StatusCode} from {scenario.Name}.");
    }

    private static async Task<(int Done, int Errors, string? FirstError, IReadOnlyDictionary<string, int> ByStatus)> DriveAsync(
        HttpClient client, Scenario scenario, int callers, int requests, TimeSpan maxDuration, double[] latencies, string[]? tokens)
    {
        var next = -1;
        var done = 0;
        var errors = 0;
        string? firstError = null;
        var byStatus = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var deadline = Stopwatch.GetTimestamp() + (long)(maxDuration.TotalSeconds * Stopwatch.Frequency);

        async Task Caller()
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= requests)
                {
                    return;
                }

                using var request = scenario.NewRequest(tokens?[i]);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if ((int)response.StatusCode != 200)
                    {
                        Interlocked.Increment(ref errors);
                        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (byStatus.AddOrUpdate(status, 1, (_, n) => n + 1) == 1)
                        {
                            // The first body of each status (an OperationOutcome: no patient data) says why.
                            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                            Console.Error.WriteLine($"    first HTTP {status}: {(body.Length > 300 ? body[..300] : body)}");
                        }

                        Interlocked.CompareExchange(ref firstError, $"HTTP {status}", null);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    Interlocked.Increment(ref errors);
                    byStatus.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }

                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(Caller))).ConfigureAwait(false);
        // Requests are handed out in order, so the first 'done' slots are the completed ones.
        return (Math.Min(done, requests), errors, firstError, new Dictionary<string, int>(byStatus, StringComparer.Ordinal));
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Round(q * (sorted.Length - 1))];
}
