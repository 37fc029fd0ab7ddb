using Hl7.Fhir.Model;
using KetamineCds.Fhir.Prefetch;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Fhir.Tests.Support;

/// <summary>A WireMock FHIR server at <c>{Url}/fhir</c> playing the EHR.</summary>
internal sealed class Ehr : IAsyncDisposable
{
    public const string FhirContentType = "application/fhir+json";

    private Ehr(WireMockServer server)
    {
        Server = server;
        BaseUrl = new Uri(server.Url! + "/fhir");
    }

    public WireMockServer Server { get; }

    /// <summary>The FHIR base, <c>http://localhost:port/fhir</c>.</summary>
    public Uri BaseUrl { get; }

    public static Ehr Start() => new(WireMockServer.Start());

    /// <summary>The path the template for <paramref name="key"/> reads, e.g. <c>/fhir/Condition</c> or <c>/fhir/Patient/pat-1</c>.</summary>
    public static string PathFor(string key)
    {
        var template = PrefetchTemplates.All.Single(t => t.Key == key).Template;
        return "/fhir/" + template.Split('?')[0].Replace("{{context.patientId}}", TestPatient.Id, StringComparison.Ordinal);
    }

    public static IRequestBuilder RequestFor(string key)
    {
        var request = Request.Create().WithPath(PathFor(key)).UsingGet();
        return key == "patient" ? request : request.WithParam("patient", TestPatient.Id);
    }

    public static IResponseBuilder Fhir(Resource body, int status = 200)
        => Response.Create().WithStatusCode(status).WithHeader("Content-Type", FhirContentType).WithBody(TestPatient.Json(body));

    public void Serve(string key, Resource body, int status = 200)
        => Server.Given(RequestFor(key)).RespondWith(Fhir(body, status));

    public void Serve(string key, IResponseBuilder response)
        => Server.Given(RequestFor(key)).RespondWith(response);

    /// <summary>Serves the test patient's data for every key, or for the given keys.</summary>
    public void ServeAll(params string[] keys)
    {
        foreach (var key in keys.Length == 0 ? PrefetchTemplates.All.Select(t => t.Key).ToArray() : keys)
        {
            Serve(key, TestPatient.ValueFor(key));
        }
    }

    /// <summary>Serves every key with the same response (delays, errors).</summary>
    public void ServeEveryKey(Func<IResponseBuilder> response)
    {
        foreach (var template in PrefetchTemplates.All)
        {
            Server.Given(RequestFor(template.Key)).RespondWith(response());
        }
    }

    public IReadOnlyList<ILogEntry> Requests => Server.LogEntries.ToList();

    public IReadOnlyList<ILogEntry> RequestsTo(string path)
        => Server.LogEntries.Where(e => e.RequestMessage.Path == path).ToList();

    public static string? Authorization(ILogEntry entry)
        => entry.RequestMessage.Headers is { } headers && headers.TryGetValue("Authorization", out var values) ? values.ToString() : null;

    public static string? Query(ILogEntry entry, string name)
        => entry.RequestMessage.Query is { } query && query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>Waits for late log entries (WireMock logs a delayed response only once it has been sent).</summary>
    public async Task<IReadOnlyList<ILogEntry>> WaitForRequestsAsync(int atLeast, TimeSpan timeout)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (Server.LogEntries.Count < atLeast && TimeProvider.System.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return Requests;
    }

    public ValueTask DisposeAsync()
    {
        Server.Stop();
        Server.Dispose();
        return ValueTask.CompletedTask;
    }
}
