using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using KetamineCds.Benchmarks;

// Short in-process run (no separate build of a generated project, so it respects --artifacts-path):
//   dotnet run -c Release --project tests/KetamineCds.Benchmarks --artifacts-path <dir> -- --filter '*'
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(EvaluateBenchmarks).Assembly).Run(args, config);
