using BenchmarkDotNet.Attributes;
using KetamineCds.Core;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Model;

namespace KetamineCds.Benchmarks;

/// <summary>IClinicalEngine.Evaluate on a typical patient (engine and knowledge base built once, as in the host).</summary>
[MemoryDiagnoser]
public class EvaluateBenchmarks
{
    private IClinicalEngine _engine = null!;
    private EvaluationRequest _patientView = null!;
    private EvaluationRequest _orderSign = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = ClinicalEngineFactory.Create(new ClinicalOptions());
        var record = TypicalPatient.Build();
        _patientView = new EvaluationRequest(HookInput.PatientView, record, TypicalPatient.Now);
        _orderSign = new EvaluationRequest(new HookInput(HookKind.OrderSign, [TypicalPatient.EsketamineDraft()], []), record, TypicalPatient.Now);
    }

    [Benchmark(Baseline = true)]
    public EvaluationOutcome PatientView() => _engine.Evaluate(_patientView);

    [Benchmark]
    public EvaluationOutcome OrderSignEsketamine() => _engine.Evaluate(_orderSign);

    /// <summary>Start-up cost (once per process): load and validate the embedded knowledge base.</summary>
    [Benchmark]
    public KnowledgeBase LoadKnowledgeBase() => KnowledgeBase.LoadEmbedded();
}
