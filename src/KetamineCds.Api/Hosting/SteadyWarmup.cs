namespace KetamineCds.Api.Hosting;

/// <summary>
/// The opt-in part of the warm-up (<c>CdsHooks:SteadyWarmup</c>): rounds of the warm-up's calls until the JIT is quiet,
/// i.e. the tiered JIT has recompiled what the calls run (ReadyToRun and first-tier code is replaced by optimised code
/// about 30 calls after a method first runs, in the background, for ~10 s of traffic on two cores), or until the limit.
/// Quiet: at most <see cref="QuietMethods"/> methods compiled during <see cref="QuietWindow"/> of rounds, measured with
/// <see cref="System.Runtime.JitInfo"/>.
/// </summary>
internal static class SteadyWarmup
{
    /// <summary>
    /// Far longer than the tiered JIT's call-counting delay (100 ms) and the pauses between its background batches: with
    /// half a second, an early pause before the recompilation starts was taken for the end in some starts.
    /// </summary>
    internal static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(1);

    internal const int QuietMethods = 5;

    /// <summary>Runs <paramref name="round"/> until quiet or <paramref name="limit"/>; how many rounds ran, and whether it ended quiet.</summary>
    public static async Task<(int Rounds, bool Quiet)> RunAsync(Func<CancellationToken, Task> round, TimeProvider time, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var windowStart = started;
        var windowMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var rounds = 0;
        while (time.GetElapsedTime(started) < limit)
        {
            await round(cancellationToken).ConfigureAwait(false);
            rounds++;
            var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (methods - windowMethods > QuietMethods)
            {
                (windowStart, windowMethods) = (time.GetTimestamp(), methods);
            }
            else if (time.GetElapsedTime(windowStart) >= QuietWindow)
            {
                return (rounds, true);
            }
        }

        return (rounds, false);
    }
}
