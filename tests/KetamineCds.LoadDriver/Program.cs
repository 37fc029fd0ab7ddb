using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace KetamineCds.LoadDriver;

/// <summary>
/// Load driver: starts the real service (Release build, Production settings through environment variables, a trusted
/// test issuer with an inline JWKS) and the bare-Kestrel ceiling as child processes, a fake FHIR server in process,
/// and drives them over loopback. Bounded in requests and time. Prints a Markdown report.
/// <code>dotnet run -c Release --project tests/KetamineCds.LoadDriver -- [--quick] [--callers 1,8,64] [--requests N] [--seconds S] [--settle S] [--spaced N] [--spacing MS] [--steady-warmup] [--no-build] [--out file.md]</code>
/// </summary>
internal static class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--ceiling", var port])
        {
            await Servers.RunCeilingAsync(int.Parse(port, Inv)).ConfigureAwait(false);
            return 0;
        }

        if (args is ["--write-bodies", var directory])
        {
            // The driver's request bodies as files, for wrk, curl or a profiler (docs/performance.md).
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(Path.Combine(directory, "patient-view-typical.json"), Workload.ClosestTo(23 * 1024).PatientView()).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(directory, "order-sign-typical.json"), Workload.ClosestTo(23 * 1024).OrderSign()).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(directory, "patient-view-large.json"), Workload.ClosestTo(150 * 1024).PatientView()).ConfigureAwait(false);
            return 0;
        }

        var options = DriverOptions.Parse(args);
        var root = Workload.RepositoryRoot();
        if (!options.NoBuild)
        {
            // Published as in production (docs/deployment.md): Release, for this machine's runtime, hence ReadyToRun.
            Console.Error.WriteLine("Publishing the service (Release, ReadyToRun)...");
            using var build = Process.Start(new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "src", "KetamineCds.Api", "KetamineCds.Api.csproj"), "-c", "Release", "--ucr", "--no-self-contained", "-o", PublishDirectory(root), "-nologo", "-v", "q"]))!;
            await build.WaitForExitAsync().ConfigureAwait(false);
            if (build.ExitCode != 0)
            {
                return build.ExitCode;
            }
        }

        var report = new StringBuilder();
        var typical = Workload.ClosestTo(23 * 1024);
        var large = Workload.ClosestTo(150 * 1024);
        var tokens = new Tokens();
        var ports = new { Service = options.PortBase + 1, ServiceNoAuth = options.PortBase + 2, Fhir = options.PortBase + 3, Ceiling = options.PortBase + 4, Reference = options.PortBase + 5 };
        var fhirBase = $"http://127.0.0.1:{ports.Fhir}/fhir";

        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        await using var fhir = await Servers.StartFakeFhirAsync(typical, ports.Fhir).ConfigureAwait(false);
        var apiDir = PublishDirectory(root);
        var results = new List<RunResult>();
        var settling = new List<SettleResult>();
        var spaced = new List<SpacedResult>();
        TimeSpan startup, startupNoAuth;
        double firstCallMs;

        var patientView = typical.PatientView();
        await Servers.WarmClientAsync(client, fhirBase, patientView).ConfigureAwait(false);
        // Bodies built before the service starts, so that the first call follows readiness at once.
        var baseUrl = $"http://127.0.0.1:{ports.Service}/cds-services/";
        string[] Sign(string id, int n) => tokens.Sign(baseUrl + id, n);

        Scenario[] scenarios =
        [
            new($"patient-view, {typical.ResourceCount} resources, {patientView.Length / 1024} KB", new Uri(baseUrl + "ketamine-trd-screening"), patientView, n => Sign("ketamine-trd-screening", n)),
            new("order-sign, esketamine draft", new Uri(baseUrl + "ketamine-order-sign"), typical.OrderSign(), n => Sign("ketamine-order-sign", n)),
            new("patient-view, FHIR fallback (8 queries)", new Uri(baseUrl + "ketamine-trd-screening"), typical.Fallback(fhirBase), n => Sign("ketamine-trd-screening", n)),
            new($"patient-view, {large.ResourceCount} resources, {large.PatientView().Length / 1024} KB", new Uri(baseUrl + "ketamine-trd-screening"), large.PatientView(), n => Sign("ketamine-trd-screening", n)),
        ];

        // Signed before the service starts: the driver's first signature (its own JIT) took ~30 ms and was counted as
        // the service's first call until 2026-12-07.
        var firstToken = Sign("ketamine-trd-screening", 1)[0];
        await using (var service = StartService(apiDir, ports.Service, tokens, fhirBase, requireAuth: true, options.SteadyWarmup))
        {
            startup = await service.WaitReadyAsync(client, new Uri($"http://127.0.0.1:{ports.Service}/health/ready"), TimeSpan.FromSeconds(60)).ConfigureAwait(false);

            // The first call after readiness, before any warm-up.
            var first = Stopwatch.StartNew();
            using (var request = scenarios[0].NewRequest(firstToken))
            {
                using var response = await client.SendAsync(request).ConfigureAwait(false);
                firstCallMs = first.Elapsed.TotalMilliseconds;
                if ((int)response.StatusCode != 200)
                {
                    Console.Error.WriteLine($"First call answered {(int)response.StatusCode}.");
                }
            }

            settling.Add(await Settle(client, "ours, authentication on", scenarios[0], options).ConfigureAwait(false));
            foreach (var scenario in scenarios)
            {
                foreach (var callers in options.Callers)
                {
                    results.Add(await Measure(client, scenario, callers, options, service).ConfigureAwait(false));
                }
            }

            spaced.Add(await Spaced(client, "ours, authentication on", scenarios[0], options).ConfigureAwait(false));
        }

        await using (var service = StartService(apiDir, ports.ServiceNoAuth, tokens, fhirBase, requireAuth: false, options.SteadyWarmup))
        {
            startupNoAuth = await service.WaitReadyAsync(client, new Uri($"http://127.0.0.1:{ports.ServiceNoAuth}/health/ready"), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var scenario = new Scenario("patient-view, authentication off", new Uri($"http://127.0.0.1:{ports.ServiceNoAuth}/cds-services/ketamine-trd-screening"), patientView, null);
            settling.Add(await Settle(client, "ours, authentication off", scenario, options).ConfigureAwait(false));
            foreach (var callers in options.Callers)
            {
                results.Add(await Measure(client, scenario, callers, options, service).ConfigureAwait(false));
            }

            spaced.Add(await Spaced(client, "ours, authentication off", scenario, options).ConfigureAwait(false));
        }

        await using (var ceiling = StartCeiling(ports.Ceiling))
        {
            await ceiling.WaitReadyAsync(client, new Uri($"http://127.0.0.1:{ports.Ceiling}/health/ready"), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var scenario = new Scenario("bare Kestrel ceiling (same body, fixed answer)", new Uri($"http://127.0.0.1:{ports.Ceiling}/cds-services/x"), patientView, null);
            settling.Add(await Settle(client, "bare Kestrel ceiling", scenario, options).ConfigureAwait(false));
            foreach (var callers in options.Callers)
            {
                results.Add(await Measure(client, scenario, callers, options, ceiling).ConfigureAwait(false));
            }

            spaced.Add(await Spaced(client, "bare Kestrel ceiling", scenario, options).ConfigureAwait(false));
        }

        if (options.Reference is { } referenceDirectory)
        {
            // The CDS Hooks reference service (cds-hooks/sandbox-cds-services, Node + Express), from a checkout the
            // user provides with its dependencies installed: same machine, same client, same callers.
            await using var reference = ChildProcess.Start("node", ["server.js"], referenceDirectory, new Dictionary<string, string> { ["PORT"] = ports.Reference.ToString(Inv) });
            await reference.WaitReadyAsync(client, new Uri($"http://127.0.0.1:{ports.Reference}/cds-services"), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var greeting = typical.Greeting();
            var scenario = new Scenario($"reference service (Node): patient-greeting, {greeting.Length / 1024} KB", new Uri($"http://127.0.0.1:{ports.Reference}/cds-services/patient-greeting"), greeting, null);
            settling.Add(await Settle(client, "reference service (Node)", scenario, options).ConfigureAwait(false));
            foreach (var callers in options.Callers)
            {
                results.Add(await Measure(client, scenario, callers, options, reference).ConfigureAwait(false));
            }

            spaced.Add(await Spaced(client, "reference service (Node)", scenario, options).ConfigureAwait(false));
        }

        var verifyUs = BareEs384VerificationMicroseconds(tokens);
        WriteReport(report, options, typical, large, ServiceBuild(apiDir), startup, startupNoAuth, firstCallMs, verifyUs, results, settling, spaced);
        Console.WriteLine(report.ToString());
        if (options.Out is not null)
        {
            await File.WriteAllTextAsync(options.Out, report.ToString()).ConfigureAwait(false);
        }

        return results.Any(r => r.Errors > 0) ? 2 : 0;
    }

    /// <summary>Each server's first seconds after ready, at one caller, before its measured runs (the same time for every server).</summary>
    private static async Task<SettleResult> Settle(HttpClient client, string server, Scenario scenario, DriverOptions options)
    {
        Console.Error.WriteLine($"  {server}: {options.Settle.TotalSeconds:0} s at one caller after ready...");
        // At most ~3,000 calls a second at one caller here (the reference's greeting 4,500, the ceiling 8,000): signed, 1,500.
        var maxRequests = (int)(options.Settle.TotalSeconds * (scenario.SignTokens is null ? 20_000 : 1_500));
        return await LoadRunner.SettleAsync(client, server, scenario, options.Settle, maxRequests).ConfigureAwait(false);
    }

    /// <summary>Each server, warm after its runs: calls one at a time with <see cref="DriverOptions.Spacing"/> between them.</summary>
    private static async Task<SpacedResult> Spaced(HttpClient client, string server, Scenario scenario, DriverOptions options)
    {
        Console.Error.WriteLine($"  {server}: {options.SpacedCalls} calls {options.Spacing.TotalMilliseconds:0} ms apart...");
        return await LoadRunner.SpacedAsync(client, server, scenario, options.SpacedCalls, options.Spacing).ConfigureAwait(false);
    }

    private static async Task<RunResult> Measure(HttpClient client, Scenario scenario, int callers, DriverOptions options, ChildProcess server)
    {
        Console.Error.WriteLine($"  {scenario.Name} x{callers}...");
        var result = await LoadRunner.RunAsync(client, scenario, callers, options.Requests, options.MaxDuration, server, options.Warmup).ConfigureAwait(false);
        if (result.FirstError is not null)
        {
            Console.Error.WriteLine($"    {result.Errors} errors ({result.ErrorBreakdown}), first: {result.FirstError}");
        }

        return result;
    }

    /// <summary>What was measured: a ReadyToRun publish and an IL-only one start and warm up differently.</summary>
    private static string ServiceBuild(string apiDir) =>
        IsReadyToRun(Path.Combine(apiDir, "KetamineCds.Api.dll")) ? "Release, ReadyToRun (precompiled)" : "Release, IL only (JIT compiled)";

    /// <summary>A ReadyToRun assembly carries a managed native header in its CLI header; an IL-only one does not.</summary>
    private static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>Where the driver publishes the service (under the repository's ignored artifacts folder).</summary>
    private static string PublishDirectory(string root) => Path.Combine(root, "artifacts", "load-driver", "service");

    private static ChildProcess StartService(string apiDir, int port, Tokens tokens, string fhirBase, bool requireAuth, bool steadyWarmup)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["CdsHooks__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["CdsHooks__RequireAuthentication"] = requireAuth ? "true" : "false",
            ["CdsHooks__InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = requireAuth ? "false" : "true",
            ["Storage__PatientKeySecret"] = "load-driver-patient-key-secret",
            ["Storage__DataDirectory"] = Path.Combine(Path.GetTempPath(), "ketaminecds-load", port.ToString(Inv)),
            ["CdsHooks__ClientRateLimitPermits"] = "1000000",
            ["CdsHooks__ClientRateLimitWindow"] = "00:00:01",
            ["CdsHooks__Clients__0__Name"] = "Load driver EHR",
            ["CdsHooks__Clients__0__Issuer"] = Tokens.Issuer,
            ["CdsHooks__Clients__0__Jwks"] = tokens.Jwks,
            ["CdsHooks__Clients__0__AllowedFhirServers__0"] = fhirBase,
            // The driver is one client from one address: the per-EHR limit would measure the limiter, not the service.
            ["CdsHooks__RateLimitPermits"] = "1000000",
            ["CdsHooks__RateLimitWindow"] = "00:00:01",
        };
        if (steadyWarmup)
        {
            environment["CdsHooks__SteadyWarmup"] = "true"; // only when asked: builds before the setting refuse an unknown key
        }

        return ChildProcess.Start("dotnet", [Path.Combine(apiDir, "KetamineCds.Api.dll")], apiDir, environment);
    }

    private static ChildProcess StartCeiling(int port)
    {
        var self = Environment.ProcessPath!;
        var isHost = Path.GetFileNameWithoutExtension(self) == "dotnet";
        string[] arguments = isHost ? [typeof(Program).Assembly.Location, "--ceiling", port.ToString(Inv)] : ["--ceiling", port.ToString(Inv)];
        return ChildProcess.Start(self, arguments, AppContext.BaseDirectory, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
    }

    /// <summary>Median time of one ES384 signature check (SHA-384 over the signing input + P-384 verify) in this process.</summary>
    private static double BareEs384VerificationMicroseconds(Tokens tokens)
    {
        var token = tokens.Sign("https://aud.test", 1)[0];
        var parts = token.Split('.');
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        key.ImportSubjectPublicKeyInfo(tokens.PublicKeyInfo, out _);
        var samples = new double[500];
        for (var i = -100; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var ok = key.VerifyData(input, signature, HashAlgorithmName.SHA384);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (!ok)
            {
                throw new CryptographicException("The signature did not verify.");
            }

            if (i >= 0)
            {
                samples[i] = elapsed;
            }
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    private static void WriteReport(StringBuilder s, DriverOptions options, Workload typical, Workload large, string serviceBuild, TimeSpan startup, TimeSpan startupNoAuth, double firstCallMs, double verifyUs, List<RunResult> results, List<SettleResult> settling, List<SpacedResult> spaced)
    {
        s.AppendLine(Inv, $"## Load driver run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(options.Quick ? " (quick)" : "")}");
        s.AppendLine();
        s.AppendLine(Inv, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; driver and servers share the cores; loopback.");
        s.AppendLine(Inv, $"Service build: {serviceBuild}; steady warm-up (CdsHooks:SteadyWarmup) {(options.SteadyWarmup ? "on" : "off")}.");
        s.AppendLine(Inv, $"Patients: {typical.Fixture} ({typical.ResourceCount} prefetched resources) and {large.Fixture} ({large.ResourceCount}).");
        s.AppendLine(Inv, $"Each server first runs {options.Settle.TotalSeconds:0} s at one caller after ready (the table after this one); then per run: {options.Requests} requests (at most {options.MaxDuration.TotalSeconds:0} s) after {options.Warmup} warm-up requests; a unique ES384 JWT per request.");
        s.AppendLine();
        s.AppendLine(Inv, $"- Start-up to ready: {startup.TotalMilliseconds:0} ms (auth on), {startupNoAuth.TotalMilliseconds:0} ms (auth off), process start to first 200 from /health/ready.");
        s.AppendLine(Inv, $"- First patient-view after ready (signed; on the connection that polled /health/ready; the driver's client warmed on its fake FHIR server first): {firstCallMs:0.00} ms.");
        s.AppendLine(Inv, $"- One bare ES384 verification in the driver process: {verifyUs:0} µs (median).");
        var on = results.FirstOrDefault(r => r.Callers == 1 && r.Scenario.StartsWith("patient-view, " + typical.ResourceCount, StringComparison.Ordinal));
        var off = results.FirstOrDefault(r => r.Callers == 1 && r.Scenario.Contains("authentication off", StringComparison.Ordinal));
        if (on is not null && off is not null)
        {
            s.AppendLine(Inv, $"- Authentication cost at one caller (p50 auth on - p50 auth off): {(on.P50Ms - off.P50Ms) * 1000:0} µs = {(on.P50Ms - off.P50Ms) * 1000 / verifyUs:0.0}x one bare verification.");
        }

        // Issue 11's targets, computed from this run's rows: authentication off against the ceiling and the reference.
        RunResult? Row(string prefix, int callers) => results.FirstOrDefault(r => r.Callers == callers && r.Scenario.StartsWith(prefix, StringComparison.Ordinal));
        if (Row("patient-view, authentication off", 8) is { } ours8 && Row("bare Kestrel ceiling", 8) is { } ceiling8)
        {
            s.AppendLine(Inv, $"- Authentication off at 8 callers: {ours8.RequestsPerSecond:0} requests/s = {100 * ours8.RequestsPerSecond / ceiling8.RequestsPerSecond:0}% of the bare-Kestrel ceiling ({ceiling8.RequestsPerSecond:0}/s).");
        }

        if (Row("reference service", 1) is { } reference1 && Row("patient-view, authentication off", 1) is { } ours1)
        {
            s.AppendLine(Inv, $"- One caller, p50: ours (authentication off, full rules) {ours1.P50Ms:0.00} ms, the reference service's patient-greeting {reference1.P50Ms:0.00} ms ({ours1.P50Ms / reference1.P50Ms:0.0}x).");
        }

        if (Row("reference service", 8) is { } reference8 && Row("patient-view, authentication off", 8) is { } oursAt8)
        {
            s.AppendLine(Inv, $"- 8 callers: ours {oursAt8.RequestsPerSecond:0} requests/s, the reference service {reference8.RequestsPerSecond:0}/s ({oursAt8.RequestsPerSecond / reference8.RequestsPerSecond:0.0}x).");
        }

        s.AppendLine();
        s.AppendLine("After ready, one caller, median latency (ms) in each second (the number of calls in that second in brackets):");
        s.AppendLine();
        s.AppendLine("| Server | Calls | p50 by second |");
        s.AppendLine("|---|---:|---|");
        foreach (var settle in settling)
        {
            s.AppendLine(Inv, $"| {settle.Server} | {settle.Seconds.Sum(x => x.Requests)} | {string.Join(" ", settle.Seconds.Select(x => $"{x.P50Ms:0.00} ({x.Requests})"))} |");
        }

        if (spaced.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(Inv, $"Warm (after its runs), one call at a time, {options.Spacing.TotalMilliseconds:0} ms between an answer and the next call, as an EHR calls (ms):");
            s.AppendLine();
            s.AppendLine("| Server | Calls | p50 | p90 | max |");
            s.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var x in spaced)
            {
                s.AppendLine(Inv, $"| {x.Server} | {x.Calls} | {x.P50Ms:0.00} | {x.P90Ms:0.00} | {x.MaxMs:0.00} |");
            }
        }

        s.AppendLine();
        s.AppendLine("| Scenario | Callers | Requests | Errors (by status) | Requests/s | p50 ms | p95 ms | p99 ms | GC gen0/1/2 | Peak RSS MB |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in results)
        {
            s.AppendLine(Inv, $"| {r.Scenario} | {r.Callers} | {r.Requests} | {(r.Errors == 0 ? "0" : $"{r.Errors} ({r.ErrorBreakdown})")} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P95Ms:0.00} | {r.P99Ms:0.00} | {(r.Scenario.StartsWith("reference service", StringComparison.Ordinal) ? "n/a (Node)" : $"{r.Gen0}/{r.Gen1}/{r.Gen2}")} | {r.PeakRssMb:0} |");
        }
    }
}

internal sealed record DriverOptions(bool Quick, int[] Callers, int Requests, int Warmup, TimeSpan MaxDuration, bool NoBuild, string? Out, int PortBase, string? Reference, TimeSpan Settle, int SpacedCalls, TimeSpan Spacing, bool SteadyWarmup)
{
    public static DriverOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var callers = Value("--callers")?.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() ?? [1, 8, 64];
        var requests = Value("--requests") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : quick ? 200 : 5000;
        var seconds = Value("--seconds") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : quick ? 5 : 30;
        var port = Value("--port-base") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 26100;
        var settle = Value("--settle") is { } st ? double.Parse(st, CultureInfo.InvariantCulture) : quick ? 2 : 15;
        var spacedCalls = Value("--spaced") is { } sc ? int.Parse(sc, CultureInfo.InvariantCulture) : quick ? 10 : 40;
        var spacing = Value("--spacing") is { } sp ? double.Parse(sp, CultureInfo.InvariantCulture) : 500;
        return new DriverOptions(
            quick, callers, requests, quick ? 50 : 500, TimeSpan.FromSeconds(seconds), args.Contains("--no-build"), Value("--out"), port, Value("--reference"),
            TimeSpan.FromSeconds(settle), spacedCalls, TimeSpan.FromMilliseconds(spacing), args.Contains("--steady-warmup"));
    }
}
