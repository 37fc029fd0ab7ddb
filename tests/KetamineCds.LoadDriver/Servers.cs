using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KetamineCds.LoadDriver;

/// <summary>Small Kestrel apps of the driver: the EHR's fake FHIR server (in process) and the bare-Kestrel ceiling (child process).</summary>
internal static class Servers
{
    /// <summary>Serves <c>Patient/{id}</c> and <c>{Type}?patient=...</c> searches from the workload, on loopback.</summary>
    public static async Task<WebApplication> StartFakeFhirAsync(Workload workload, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var patient = Encoding.UTF8.GetBytes(workload.Patient.ToJsonString());
        var bundles = workload.Bundles.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value.ToJsonString()), StringComparer.Ordinal);
        var empty = Encoding.UTF8.GetBytes("""{"resourceType":"Bundle","type":"searchset","total":0,"entry":[]}""");
        app.MapGet("/fhir/Patient/{id}", (HttpContext context, string id) =>
            Write(context, id == workload.PatientId ? patient : null));
        app.MapGet("/fhir/{type}", (HttpContext context, string type) =>
            Write(context, bundles.TryGetValue(type, out var body) ? body : empty));
        // The driver's own HTTP client posts here before it times a server's first call: that number is the server's
        // first call, not the client's first POST (its JIT and connection code).
        app.MapPost("/fhir/client-warmup", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
            await Write(context, patient).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    /// <summary>Warms the driver's client on the fake FHIR server: POSTs of <paramref name="body"/>, answers read.</summary>
    public static async Task WarmClientAsync(HttpClient client, string fhirBase, byte[] body)
    {
        var warmup = new Scenario("client warm-up", new Uri(fhirBase + "/client-warmup"), body, null);
        for (var i = 0; i < 50; i++)
        {
            using var request = warmup.NewRequest("client-warmup");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
    }

    private static Task Write(HttpContext context, byte[]? body)
    {
        if (body is null)
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/fhir+json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>
    /// The ceiling: reads the whole request body (as the service must) and returns a fixed small JSON; no logging,
    /// no authentication. Runs as a child process (<c>--ceiling PORT</c>) so it is measured like the service.
    /// </summary>
    public static async Task RunCeilingAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var answer = Encoding.UTF8.GetBytes("""{"cards":[]}""");
        app.MapGet("/health/ready", () => "Healthy");
        app.MapPost("/cds-services/{id}", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }

            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer).ConfigureAwait(false);
        });
        await app.RunAsync().ConfigureAwait(false);
    }
}
