using Hl7.Fhir.Model;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Support.Clock;

namespace KetamineCds.Core.Tests.Cards;

public sealed class RobustnessTests
{
    [Fact]
    public void Odd_fhir_data_is_skipped_not_thrown()
    {
        Resource[] resources =
        [
            new Patient { Id = "p", BirthDate = "not-a-date" },
            new Condition(),
            new Condition { Code = new CodeableConcept { Coding = [null!, new Coding(null, null)] }, Onset = new FhirString("childhood") },
            new MedicationRequest { Status = MedicationRequest.MedicationrequestStatus.Active, AuthoredOn = "yesterday" },
            new MedicationRequest { Medication = new ResourceReference("#nowhere"), DosageInstruction = [new Dosage { Timing = new Timing { Repeat = new Timing.RepeatComponent { Period = -1, PeriodUnit = Timing.UnitsOfTime.D } } }] },
            new MedicationStatement { Medication = Res.Text("sertraline"), Effective = new Period { Start = "2025-13-45" } },
            new MedicationDispense { Medication = Res.Rx("312938"), WhenHandedOver = "2026", DaysSupply = new Quantity(-5, "d") },
            new Observation { Code = new CodeableConcept(Res.Loinc, "85354-9"), Component = [new Observation.ComponentComponent { Code = new CodeableConcept(Res.Loinc, "8480-6"), Value = new FhirString("high") }] },
            new Observation { Code = new CodeableConcept(Res.Loinc, "44261-6"), Effective = new FhirDateTime(DaysAgo(1)) },
            new AllergyIntolerance(),
        ];

        foreach (var kind in new[] { HookKind.PatientView, HookKind.OrderSign, HookKind.OrderSelect })
        {
            var hook = new HookInput(kind, [Res.Draft(Res.Text("ketamine")), new MedicationRequest(), new ServiceRequest()], ["MedicationRequest/nope"]);
            var outcome = EngineHarness.Evaluate(hook, resources);
            Assert.NotNull(outcome.Assessment);
        }
    }

    [Fact]
    public void One_engine_instance_gives_the_same_answers_from_many_threads()
    {
        var engine = EngineHarness.Engine;
        var requests = Enumerable.Range(0, 8).Select(i => new EvaluationRequest(
            new HookInput(HookKind.OrderSign, [Res.Draft(Res.Rx(i % 2 == 0 ? "2119365" : "6130", "x"))], []),
            PatientRecord.FromResources(
            [
                Res.Patient(age: 20 + i),
                Res.Condition(Res.Icd10Cm, i % 3 == 0 ? "Q28.0" : "F33.2", MonthsAgo(12)),
                Res.Request(Res.Rx("6470", "lorazepam"), null, DaysAgo(10), null, MedicationRequest.MedicationrequestStatus.Active),
                Res.BloodPressure(DaysAgo(2), 130 + (i * 3), 85),
            ]),
            Now)).ToList();
        var expected = requests.Select(r => Describe(engine.Evaluate(r))).ToList();

        var results = new string[requests.Count * 50];
        Parallel.For(0, results.Length, i => results[i] = Describe(engine.Evaluate(requests[i % requests.Count])));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % requests.Count], results[i]);
        }
    }

    private static string Describe(EvaluationOutcome outcome) =>
        string.Join("|", outcome.Cards.Select(c => c.Source.Topic!.Code + ":" + c.Indicator + ":" + c.Summary + ":" + c.Detail))
        + "#" + string.Join(",", outcome.Assessment!.Findings);
}
