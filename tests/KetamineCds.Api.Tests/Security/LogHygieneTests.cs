using System.Net;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Security;

/// <summary>
/// A full run (discovery, a hook call with prefetch and fhirAuthorization, feedback, refused tokens) with every log
/// message captured at Debug: no JWT (nor any of its segments), no FHIR access token, no patient content.
/// </summary>
public sealed class LogHygieneTests : IAsyncLifetime
{
    private const string PatientGiven = "Zebulon";
    private const string PatientFamily = "Quixotefarthing";
    private const string ConditionText = "Marmalade-Xylophone episode";
    private const string FhirNote = "Snorkel-Pumpernickel remark";

    private readonly TestEhr _ehr = TestEhr.Start();
    private readonly WireMockServer _fhir = WireMockServer.Start();
    private readonly string _accessToken = "fhir-access-" + Guid.NewGuid().ToString("N");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        // Whatever the service asks the EHR's FHIR server, it gets a searchset with a distinctive note.
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "AllergyIntolerance",
                    ["id"] = "a1",
                    ["patient"] = new JsonObject { ["reference"] = "Patient/1288992" },
                    ["note"] = new JsonArray(new JsonObject { ["text"] = FhirNote }),
                },
            }),
        };
        _fhir.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(bundle.ToJsonString()));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _fhir.Stop();
        _fhir.Dispose();
        await _ehr.DisposeAsync();
    }

    [Fact]
    public async Task A_full_run_logs_no_token_and_no_patient_content()
    {
        // Generous FHIR budgets: on a loaded machine the default 2 s can run out, which would make this a 412 test.
        await using var factory = new CdsApiFactory(_ehr.ClientConfiguration(0, _fhir.Url!)
            .Append(new("Fhir:TotalTimeout", "00:00:20"))
            .Append(new("Fhir:AttemptTimeout", "00:00:10")));
        using var client = factory.CreateClient();
        var serviceAudience = CdsApiFactory.ServiceAudience(CdsCalls.ServiceId);
        var tokens = new List<string>();

        string Token(string audience, Action<Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor>? customize = null)
        {
            var token = _ehr.CreateToken(audience, customize);
            tokens.Add(token);
            return token;
        }

        // Discovery, anonymous, but with a token the service must ignore.
        using var discovery = await client.SendAsync(CdsCalls.Get("/cds-services", Token(CdsApiFactory.DiscoveryAudience)), Ct);

        // A hook call with prefetch (patient name, a condition) and fhirAuthorization for the rest.
        var hookToken = Token(serviceAudience);
        using var hook = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), hookToken, HookBody()), Ct);

        using var feedback = await client.SendAsync(CdsCalls.Post(CdsCalls.FeedbackPath(), Token(serviceAudience + "/feedback"), CdsCalls.FeedbackBody()), Ct);

        // Refusals: a replay, an expired token, a tampered one, one for another service.
        using var replay = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), hookToken, HookBody()), Ct);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        using var expired = await client.SendAsync(
            CdsCalls.Post(CdsCalls.ServicePath(), Token(serviceAudience, d => { d.IssuedAt = now.AddHours(-2); d.NotBefore = now.AddHours(-2); d.Expires = now.AddHours(-1); }), HookBody()), Ct);
        var parts = Token(serviceAudience).Split('.');
        var tampered = $"{parts[0]}.{parts[1]}x.{parts[2]}";
        tokens.Add(tampered);
        using var forged = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), tampered, HookBody()), Ct);
        using var wrongService = await client.SendAsync(
            CdsCalls.Post(CdsCalls.ServicePath("ketamine-order-sign"), Token(serviceAudience), HookBody()), Ct);

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.True(
            hook.StatusCode == HttpStatusCode.OK,
            $"hook call: {(int)hook.StatusCode}; {await hook.Content.ReadAsStringAsync(Ct)}; log: "
            + string.Join(" | ", factory.Logs.Entries.Where(e => e.Category.StartsWith("KetamineCds", StringComparison.Ordinal)).Select(e => e.Message)));
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        Assert.All([replay, expired, forged, wrongService], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));

        // The run really used the access token and really logged: otherwise "nothing leaked" would prove nothing.
        Assert.Contains(_fhir.LogEntries, e => e.RequestMessage.Headers is { } h && h.TryGetValue("Authorization", out var v) && v.Contains("Bearer " + _accessToken));
        var entries = factory.Logs.Entries;
        Assert.Contains(entries, e => e.EventId.Id == 1001);
        Assert.True(entries.Count(e => e.EventId.Id is 5001 or 5002) >= 4);

        var log = factory.Logs.AllText();
        foreach (var token in tokens)
        {
            var segments = token.Split('.');
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
            Assert.DoesNotContain(segments[1], log, StringComparison.Ordinal);
            Assert.DoesNotContain(segments[2], log, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_accessToken, log, StringComparison.Ordinal);
        Assert.DoesNotContain(PatientGiven, log, StringComparison.Ordinal);
        Assert.DoesNotContain(PatientFamily, log, StringComparison.Ordinal);
        Assert.DoesNotContain(ConditionText, log, StringComparison.Ordinal);
        Assert.DoesNotContain(FhirNote, log, StringComparison.Ordinal);
    }

    private string HookBody()
    {
        var body = new JsonObject
        {
            ["hook"] = "patient-view",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["fhirServer"] = _fhir.Url,
            ["fhirAuthorization"] = new JsonObject
            {
                ["access_token"] = _accessToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["scope"] = "user/Patient.read user/Condition.read",
                ["subject"] = "ketamine-cds",
            },
            ["context"] = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = "1288992" },
            ["prefetch"] = new JsonObject
            {
                ["patient"] = new JsonObject
                {
                    ["resourceType"] = "Patient",
                    ["id"] = "1288992",
                    ["gender"] = "female",
                    ["birthDate"] = "1980-04-01",
                    ["name"] = new JsonArray(new JsonObject { ["family"] = PatientFamily, ["given"] = new JsonArray(PatientGiven) }),
                },
                ["conditions"] = new JsonObject
                {
                    ["resourceType"] = "Bundle",
                    ["type"] = "searchset",
                    ["entry"] = new JsonArray(new JsonObject
                    {
                        ["resource"] = new JsonObject
                        {
                            ["resourceType"] = "Condition",
                            ["id"] = "c1",
                            ["subject"] = new JsonObject { ["reference"] = "Patient/1288992" },
                            ["code"] = new JsonObject
                            {
                                ["text"] = ConditionText,
                                ["coding"] = new JsonArray(new JsonObject
                                {
                                    ["system"] = "http://snomed.info/sct",
                                    ["code"] = "370143000",
                                    ["display"] = "Major depressive disorder",
                                }),
                            },
                        },
                    }),
                },
            },
        };
        return body.ToJsonString();
    }
}
