using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>Bad input gets a clear 4xx with a short OperationOutcome, never a crash or a stack trace.</summary>
public sealed class ServiceRequestValidationTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    private readonly CdsHost _host = fixture.Host;

    public static TheoryData<string, string, string, string> InvalidBodies => new()
    {
        // name, path, body, fragment expected in the OperationOutcome
        { "malformed JSON", Requests.ScreeningPath, "{\"hook\": \"patient-view\", ", "not valid JSON" },
        { "JSON array", Requests.ScreeningPath, "[1,2]", "must be a JSON object" },
        { "malformed JSON deep inside a prefetch resource", Requests.ScreeningPath, With(Requests.PatientView(), "prefetch", new JsonObject { ["patient"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = "p1" } }).Replace("\"id\":\"p1\"}", "\"id\":\"p1\",}", StringComparison.Ordinal), "not valid JSON" },
        { "content after the JSON object", Requests.ScreeningPath, Requests.PatientView().ToJsonString() + " {}", "not valid JSON" },
        { "a JSON array with content after it", Requests.ScreeningPath, "[1,2] x", "not valid JSON" },
        { "missing hook", Requests.ScreeningPath, Without(Requests.PatientView(), "hook"), "hook is required" },
        { "missing hookInstance", Requests.ScreeningPath, Without(Requests.PatientView(), "hookInstance"), "hookInstance is required" },
        { "hookInstance of 100,000 characters", Requests.ScreeningPath, With(Requests.PatientView(), "hookInstance", JsonValue.Create(new string('a', 100_000))), "hookInstance is longer than 128 characters" },
        { "missing context", Requests.ScreeningPath, Without(Requests.PatientView(), "context"), "context is required" },
        { "context not an object", Requests.ScreeningPath, With(Requests.PatientView(), "context", JsonValue.Create("x")), "context must be a JSON object" },
        { "hook not registered for the service", Requests.ScreeningPath, With(Requests.PatientView(), "hook", JsonValue.Create("order-sign")), "answers hook 'patient-view', not 'order-sign'" },
        { "hook of another service", Requests.OrderSignPath, Requests.PatientView().ToJsonString(), "answers hook 'order-sign'" },
        { "missing patientId", Requests.ScreeningPath, WithoutContext(Requests.PatientView(), "patientId"), "context.patientId is required" },
        { "missing userId", Requests.ScreeningPath, WithoutContext(Requests.PatientView(), "userId"), "context.userId is required" },
        { "userId not a reference", Requests.ScreeningPath, WithContext(Requests.PatientView(), "userId", JsonValue.Create("dr1")), "context.userId must be a relative reference" },
        { "patientId a number", Requests.ScreeningPath, WithContext(Requests.PatientView(), "patientId", JsonValue.Create(12)), "context.patientId must be a non-empty string" },
        { "order-sign without draftOrders", Requests.OrderSignPath, WithoutContext(SignKetamine(), "draftOrders"), "context.draftOrders is required" },
        { "draftOrders not a Bundle", Requests.OrderSignPath, WithContext(SignKetamine(), "draftOrders", new JsonObject { ["resourceType"] = "Patient" }), "context.draftOrders must be a FHIR Bundle" },
        { "order-select without selections", Requests.OrderSelectPath, WithoutContext(SelectKetamine(), "selections"), "context.selections is required" },
        { "order-select without draftOrders", Requests.OrderSelectPath, WithoutContext(SelectKetamine(), "draftOrders"), "context.draftOrders is required" },
        { "selections not references", Requests.OrderSelectPath, WithContext(SelectKetamine(), "selections", new JsonArray(JsonValue.Create(5))), "context.selections entries must be references" },
        { "fhirAuthorization without fhirServer", Requests.ScreeningPath, With(Requests.PatientView(), "fhirAuthorization", Authorization()), "fhirAuthorization requires fhirServer" },
        { "fhirAuthorization without access_token", Requests.ScreeningPath, With(Set(Requests.PatientView(), "fhirServer", JsonValue.Create("https://ehr.example.org/fhir")), "fhirAuthorization", new JsonObject { ["token_type"] = "Bearer" }), "fhirAuthorization.access_token is required" },
        { "fhirServer not a URL", Requests.ScreeningPath, With(Requests.PatientView(), "fhirServer", JsonValue.Create("not a url")), "fhirServer must be an absolute http(s) URL" },
        { "prefetch value is a string", Requests.ScreeningPath, With(Requests.PatientView(), "prefetch", new JsonObject { ["patient"] = "123" }), "prefetch.patient must be a FHIR resource or null" },
        { "prefetch value without resourceType", Requests.ScreeningPath, With(Requests.PatientView(), "prefetch", new JsonObject { ["patient"] = new JsonObject { ["id"] = "p1" } }), "prefetch.patient is not a FHIR resource" },
        { "extension not an object", Requests.ScreeningPath, With(Requests.PatientView(), "extension", new JsonArray()), "extension must be a JSON object" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_request_gets_400_with_an_OperationOutcome(string name, string path, string body, string expected)
    {
        using var response = await _host.PostAsync(path, body, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: got {(int)response.StatusCode}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var diagnostics = await Diagnostics(response);
        Assert.Contains(diagnostics, d => d.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(diagnostics, d => d.Contains(" at ", StringComparison.Ordinal) && d.Contains(".cs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_service_is_404()
    {
        using var response = await _host.PostAsync("/cds-services/no-such-service", Requests.PatientView().ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(await Diagnostics(response), d => d.Contains("Unknown CDS service", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("")]
    public async Task Non_JSON_content_type_is_415(string contentType)
    {
        using var response = await _host.PostAsync(Requests.ScreeningPath, Requests.PatientView().ToJsonString(), contentType, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/fhir+json")]
    public async Task JSON_content_types_are_accepted(string contentType)
    {
        using var response = await _host.PostAsync(Requests.ScreeningPath, Requests.PatientView().ToJsonString(), contentType, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GET_on_a_service_is_405()
    {
        using var response = await _host.GetAsync(Requests.ScreeningPath, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_extension_members_are_accepted()
    {
        var body = Requests.PatientView();
        body["extension"] = new JsonObject { ["com.example.anything"] = new JsonObject { ["x"] = 1 } };
        ((JsonObject)body["context"]!)["com.example.contextExtra"] = "ignored";

        using var response = await _host.PostAsync(Requests.ScreeningPath, body.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Prefetch_keys_the_service_never_asked_for_are_ignored_whatever_their_value()
    {
        // The spec's own prefetch example carries "user": "123"; a key outside the discovery templates is not ours to judge.
        var body = Requests.PatientView();
        var prefetch = Requests.EmptyPrefetch("p1");
        prefetch["user"] = "123";
        prefetch["encounter"] = new JsonArray(1, 2);
        body["prefetch"] = prefetch;

        using var response = await _host.PostAsync(Requests.ScreeningPath, body.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_order_of_the_members_does_not_change_the_answer()
    {
        // The body is read in one forward pass: prefetch before context (or the hook last) must read the same.
        var example = JsonNode.Parse(Endpoints.RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!.AsObject();
        var reordered = new JsonObject();
        foreach (var name in example.Select(p => p.Key).Reverse().ToList())
        {
            reordered[name] = example[name]!.DeepClone();
        }

        Assert.Equal("prefetch", reordered.First().Key);
        using var inOrder = await _host.PostAsync(Requests.ScreeningPath, example.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);
        using var reversed = await _host.PostAsync(Requests.ScreeningPath, reordered.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, inOrder.StatusCode);
        var expected = await inOrder.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"cards\":[{", expected, StringComparison.Ordinal);
        Assert.Equal(WithoutUuids(expected), WithoutUuids(await reversed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    private static string WithoutUuids(string json)
        => System.Text.RegularExpressions.Regex.Replace(json, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "uuid");

    [Fact]
    public async Task A_prefetch_entry_whose_resourceType_is_not_valid_text_is_skipped_not_the_request()
    {
        // An unpaired surrogate (\ud800) cannot be decoded: that one resource is unreadable, as bad text in any other
        // element of a resource is; the request stays answerable.
        var body = Requests.PatientView();
        var prefetch = Requests.EmptyPrefetch("p1");
        prefetch["conditions"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(new JsonObject { ["resource"] = new JsonObject { ["resourceType"] = "SURROGATE", ["id"] = "c1" } }),
        };
        body["prefetch"] = prefetch;
        var text = body.ToJsonString().Replace("\"SURROGATE\"", "\"\\ud800\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", text, StringComparison.Ordinal);

        using var response = await _host.PostAsync(Requests.ScreeningPath, text, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_bad_request_does_not_affect_the_next_one()
    {
        using var bad = await _host.PostAsync(Requests.ScreeningPath, "{\"hook\":", cancellationToken: TestContext.Current.CancellationToken);
        using var good = await _host.PostAsync(Requests.ScreeningPath, Requests.PatientView().ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("""{"cards":[]}""", await good.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_UTF8_byte_order_mark_is_accepted_and_all_null_prefetch_means_no_data()
    {
        var body = Requests.PatientView();
        foreach (var key in body["prefetch"]!.AsObject().Select(p => p.Key).ToList())
        {
            body["prefetch"]![key] = null;
        }

        using var response = await _host.PostAsync(Requests.ScreeningPath, "\uFEFF" + body.ToJsonString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"cards":[]}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Invalid_UTF8_is_a_clean_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Requests.ScreeningPath)
        {
            Content = new ByteArrayContent([.. "{\"hook\":\"patient-view\",\"hookInstance\":\""u8, 0xFF, 0xFE, .. "\"}"u8]),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Authorization = new("Bearer", _host.Ehr.CreateToken(Infrastructure.CdsApiFactory.PublicBaseUrl + Requests.ScreeningPath));

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Deeply_nested_JSON_is_a_clean_400()
    {
        var body = new string('[', 5000) + new string(']', 5000);

        using var response = await _host.PostAsync(Requests.ScreeningPath, body, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    internal static async Task<IReadOnlyList<string>> Diagnostics(HttpResponseMessage response)
    {
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("OperationOutcome", doc.RootElement.GetProperty("resourceType").GetString());
        return [.. doc.RootElement.GetProperty("issue").EnumerateArray().Select(i => i.GetProperty("diagnostics").GetString()!)];
    }

    private static JsonObject SignKetamine() => Requests.OrderSign(Requests.MedicationRequest("rx1", "6130", "ketamine"));

    private static JsonObject SelectKetamine() => Requests.OrderSelect(Requests.MedicationRequest("rx1", "6130", "ketamine"), "MedicationRequest/rx1");

    private static JsonObject Authorization() => new()
    {
        ["access_token"] = "opaque-token",
        ["token_type"] = "Bearer",
        ["expires_in"] = 300,
        ["scope"] = "user/Patient.read",
        ["subject"] = "ketamine-cds",
    };

    private static string Without(JsonObject body, string member)
    {
        body.Remove(member);
        return body.ToJsonString();
    }

    private static string With(JsonObject body, string member, JsonNode? value)
    {
        body[member] = value;
        return body.ToJsonString();
    }

    private static JsonObject Set(JsonObject body, string member, JsonNode? value)
    {
        body[member] = value;
        return body;
    }

    private static string WithoutContext(JsonObject body, string member)
    {
        ((JsonObject)body["context"]!).Remove(member);
        return body.ToJsonString();
    }

    private static string WithContext(JsonObject body, string member, JsonNode? value)
    {
        ((JsonObject)body["context"]!)[member] = value;
        return body.ToJsonString();
    }
}
