using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>
/// The independent clinical scenario suite (issue 3): hand-built FHIR R4 records evaluated through the public
/// engine API, each checked against what the spec and docs/card-contract.md say the answer must be.
/// </summary>
public sealed class ClinicalScenarioTests
{
    private static readonly Lazy<IClinicalEngine> Engine = new(() => ClinicalEngineFactory.Create(new ClinicalOptions()));

    public static TheoryData<string> ScenarioNames => new(ScenarioCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Scenario(string name)
    {
        var scenario = ScenarioCatalog.ByName[name];
        var outcome = Evaluate(scenario);

        Assert.NotNull(outcome);
        CardInvariants.AssertAll(outcome.Cards, name);
        var problems = ScenarioVerifier.Problems(scenario, outcome);
        if (problems.Count > 0)
        {
            Assert.Fail(
                $"Scenario '{name}'\nSpec: {scenario.Spec}\n" +
                string.Join("\n", problems.Select(p => "* " + p)) +
                $"\nAssessment: {ScenarioVerifier.DescribeAssessment(outcome.Assessment)}\nCards:\n{CardText.Describe(outcome.Cards)}");
        }
    }

    [Fact]
    public void Card_uuids_are_fresh_on_every_evaluation()
    {
        var scenario = ScenarioCatalog.ByName["pv-trd-met-ssri-then-snri"];
        var first = Evaluate(scenario).Cards.Select(c => c.Uuid).ToList();
        var second = Evaluate(scenario).Cards.Select(c => c.Uuid).ToList();

        Assert.NotEmpty(first);
        Assert.Empty(first.Intersect(second, StringComparer.Ordinal));
    }

    [Fact]
    public void Engine_gives_the_same_answers_when_called_concurrently()
    {
        static string Fingerprint(EvaluationOutcome o) => string.Join(" | ", o.Cards.Select(c => $"{c.Source.Topic?.Code}/{c.Indicator}/{c.Summary}/{c.Detail}"))
            + $" # {o.Assessment?.TrdStatus} {string.Join(",", o.Assessment?.Findings ?? [])} {o.RequiredDataMissing}";

        var sequential = ScenarioCatalog.All.ToDictionary(s => s.Name, s => Fingerprint(Evaluate(s)), StringComparer.Ordinal);
        var concurrent = new System.Collections.Concurrent.ConcurrentBag<(string Name, string Print)>();
        Parallel.ForEach(Enumerable.Range(0, 4).SelectMany(_ => ScenarioCatalog.All), s => concurrent.Add((s.Name, Fingerprint(Evaluate(s)))));

        Assert.Equal(4 * ScenarioCatalog.All.Count, concurrent.Count);
        Assert.All(concurrent, r => Assert.Equal(sequential[r.Name], r.Print));
    }

    [Fact]
    public void Catalog_has_at_least_45_uniquely_named_scenarios_each_citing_the_spec()
    {
        Assert.True(ScenarioCatalog.All.Count >= 45, $"only {ScenarioCatalog.All.Count} scenarios");
        Assert.Equal(ScenarioCatalog.All.Count, ScenarioCatalog.ByName.Count);
        Assert.All(ScenarioCatalog.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Spec), s.Name));
        Assert.All(ScenarioCatalog.All, s => Assert.True(s.Cards is not null || s.RequiredDataMissing is not null, $"{s.Name} checks no cards"));
    }

    private static EvaluationOutcome Evaluate(ClinicalScenario scenario) =>
        Engine.Value.Evaluate(new EvaluationRequest(scenario.Hook, PatientRecord.FromResources(scenario.Resources), ScenarioClock.Now)
        {
            UnavailableData = scenario.Unavailable,
        });
}
