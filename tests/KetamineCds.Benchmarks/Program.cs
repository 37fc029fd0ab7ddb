using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KetamineCds.Benchmarks;

/// <summary>
/// Short in-process runs (no separate build of a generated project, so it respects --artifacts-path):
/// <c>dotnet run -c Release --project tests/KetamineCds.Benchmarks -- --filter '*'</c>.
/// </summary>
internal static class BenchmarkEntry
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(EvaluateBenchmarks).Assembly).Run(args, config);
    }
}
