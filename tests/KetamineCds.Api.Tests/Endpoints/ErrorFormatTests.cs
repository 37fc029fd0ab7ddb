using System.Net;
using System.Net.Sockets;
using System.Text;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;
using KetamineCds.Fhir;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>One error format: every error body, the framework's included, is a short FHIR OperationOutcome.</summary>
public sealed class ErrorFormatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CdsApiFactory Factory(Action<IServiceCollection>? services = null, params KeyValuePair<string, string?>[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:RequireAuthentication"] = "false",
            ["CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true",
            ["CdsHooks:Clients:0:Name"] = "Example EHR",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new CdsApiFactory(settings, services);
    }

    private static async Task AssertOperationOutcomeAsync(HttpResponseMessage response, HttpStatusCode expected, string issueCode)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"code\":\"{issueCode}\"", body, StringComparison.Ordinal);
        Assert.True(body.Length < 400, body);
    }

    [Fact]
    public async Task Unknown_path_404_and_wrong_method_405_are_OperationOutcomes()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();

        using var notFound = await client.GetAsync(new Uri("/no-such-path", UriKind.Relative), Ct);
        using var wrongMethod = await client.GetAsync(new Uri(Requests.ScreeningPath, UriKind.Relative), Ct);

        await AssertOperationOutcomeAsync(notFound, HttpStatusCode.NotFound, "not-found");
        await AssertOperationOutcomeAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "not-supported");
    }

    [Fact]
    public async Task Thousands_of_problems_or_a_huge_echoed_value_still_get_a_short_OperationOutcome()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        var items = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < 3_000; i++)
        {
            items.Add(new System.Text.Json.Nodes.JsonObject()); // each: card, outcome and outcomeTimestamp missing
        }

        var manyBadItems = new System.Text.Json.Nodes.JsonObject { ["feedback"] = items };
        var hugeHook = Requests.PatientView();
        hugeHook["hook"] = new string('x', 200_000);

        using var many = await client.PostAsync(new Uri(Requests.ScreeningPath + "/feedback", UriKind.Relative), Json(manyBadItems.ToJsonString()), Ct);
        using var huge = await client.PostAsync(new Uri(Requests.ScreeningPath, UriKind.Relative), Json(hugeHook.ToJsonString()), Ct);
        using var longPath = await client.PostAsync(new Uri("/cds-services/" + new string('y', 5_000), UriKind.Relative), Json("{}"), Ct);

        foreach (var (response, status) in new[] { (many, HttpStatusCode.BadRequest), (huge, HttpStatusCode.BadRequest), (longPath, HttpStatusCode.NotFound) })
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(body.Length < 5_000, $"{body.Length} characters: {body[..Math.Min(body.Length, 500)]}");
        }

        Assert.Contains("more problem(s) not listed", await many.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("\u2026", await huge.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhandled_exception_500_is_an_OperationOutcome_without_internals()
    {
        await using var factory = Factory(s => s.AddSingleton<IPatientDataProvider, TestPatientDataProviders.Throwing>());
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri(Requests.ScreeningPath, UriKind.Relative), Json(Requests.PatientView().ToJsonString()), Ct);

        await AssertOperationOutcomeAsync(response, HttpStatusCode.InternalServerError, "exception");
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_429_is_an_OperationOutcome()
    {
        await using var factory = Factory(null, new KeyValuePair<string, string?>("CdsHooks:RateLimitPermits", "1"), new KeyValuePair<string, string?>("CdsHooks:RateLimitWindow", "01:00:00"));
        using var client = factory.CreateClient();

        using var first = await client.GetAsync(new Uri("/cds-services", UriKind.Relative), Ct);
        using var second = await client.GetAsync(new Uri("/cds-services", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertOperationOutcomeAsync(second, HttpStatusCode.TooManyRequests, "throttled");
    }

    [Fact]
    public async Task Request_timeout_503_is_an_OperationOutcome()
    {
        await using var factory = Factory(s => s.AddSingleton<IPatientDataProvider, TestPatientDataProviders.Hanging>(), new KeyValuePair<string, string?>("CdsHooks:RequestTimeout", "00:00:00.500"));
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri(Requests.ScreeningPath, UriKind.Relative), Json(Requests.PatientView().ToJsonString()), Ct);

        await AssertOperationOutcomeAsync(response, HttpStatusCode.ServiceUnavailable, "timeout");
    }

    [Fact]
    public async Task Body_arriving_too_slowly_over_a_real_socket_gets_408_OperationOutcome_not_500()
    {
        await using var factory = Factory(s => s.Configure<KestrelServerOptions>(k =>
            k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(1.5))));
        factory.UseKestrel(0);
        factory.StartServer();
        using var http = factory.CreateClient();
        var address = http.BaseAddress!;

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, Ct);
        var stream = tcp.GetStream();
        var head = $"POST {Requests.ScreeningPath} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);

        // A real slow client: one byte at a time until the server answers (or gives up on us).
        var reading = ReadResponseAsync(stream);
        using var trickle = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!reading.IsCompleted && await trickle.WaitForNextTickAsync(Ct))
        {
            try
            {
                await stream.WriteAsync("{"u8.ToArray(), Ct);
            }
            catch (IOException)
            {
                break;
            }
        }

        var response = await reading;
        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", response, StringComparison.Ordinal);
    }

    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (text.ToString().Contains("OperationOutcome", StringComparison.Ordinal) && text.ToString().TrimEnd().EndsWith('}'))
            {
                break;
            }
        }

        return text.ToString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
