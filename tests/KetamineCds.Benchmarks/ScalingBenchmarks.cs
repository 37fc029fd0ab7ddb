using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KetamineCds.Core;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Fhir;
using KetamineCds.Fhir.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Benchmarks;

/// <summary>
/// How cost grows with the size of the record (issue 11: linear growth, 30,000 resources under 100 ms): prefetch parsing
/// through the Fhir project's public API exactly as the hook endpoint calls it (the UTF-8 prefetch object is read in one
/// forward pass into <see cref="PrefetchValue"/>s, then <see cref="IPatientDataProvider.GetPatientDataAsync"/> checks and types them), and
/// the engine's evaluation of the resulting record. Records from <see cref="ScaledPrefetch"/>.
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private ServiceProvider _services = null!;
    private IPatientDataProvider _data = null!;
    private IClinicalEngine _engine = null!;
    private byte[] _prefetch = [];
    private EvaluationRequest _evaluation = null!;

    [Params(50, 300, 3_000, 30_000)]
    public int Resources { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddKetamineCdsFhir()
            .BuildServiceProvider();
        _data = _services.GetRequiredService<IPatientDataProvider>();
        _engine = ClinicalEngineFactory.Create(new ClinicalOptions());
        _prefetch = ScaledPrefetch.Build(Resources);

        // The benchmark is only meaningful if every resource arrives and nothing is fetched or reported missing.
        var result = Parse().GetAwaiter().GetResult();
        var count = (result.Record.Patient is null ? 0 : 1) + result.Record.Conditions.Count + result.Record.MedicationRequests.Count
                    + result.Record.MedicationStatements.Count + result.Record.MedicationDispenses.Count + result.Record.Observations.Count
                    + result.Record.Allergies.Count + result.Record.Procedures.Count;
        if (count + result.SkippedResources != Resources || result.Unavailable.Count > 0 || result.FhirRequests > 0)
        {
            throw new InvalidOperationException(
                $"Prefetch of {Resources} resources read as {count} (+{result.SkippedResources} skipped), unavailable: {string.Join(",", result.Unavailable)}, truncated: {string.Join(",", result.Truncated)}, {result.FhirRequests} FHIR requests.");
        }

        _evaluation = new EvaluationRequest(HookInput.PatientView, result.Record, Now);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>Prefetch bytes to a typed <see cref="PatientRecord"/>: JSON parse, Firely parse, repair.</summary>
    [Benchmark]
    public Task<PatientDataResult> ParsePrefetch() => Parse();

    /// <summary>The engine on the parsed record: recognition, TRD staging, candidacy, cards.</summary>
    [Benchmark]
    public EvaluationOutcome Evaluate() => _engine.Evaluate(_evaluation);

    private async Task<PatientDataResult> Parse()
        => await _data.GetPatientDataAsync(
            new HookDataRequest
            {
                HookInstance = "benchmark",
                PrefetchTokens = new Dictionary<string, string>(StringComparer.Ordinal) { ["context.patientId"] = ScaledPrefetch.PatientId },
                Prefetch = ReadPrefetch(_prefetch),
            },
            CancellationToken.None).ConfigureAwait(false);

    /// <summary>The prefetch object read in one forward pass, value by value, as the hook endpoint's request parser reads it.</summary>
    private static Dictionary<string, PrefetchValue> ReadPrefetch(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        reader.Read();
        var result = new Dictionary<string, PrefetchValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            result[key] = PrefetchValue.Read(ref reader);
        }

        return result;
    }
}
