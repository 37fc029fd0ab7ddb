using System.Net;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Tests.Configuration;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>A Production run configured by environment variables alone (how containers are deployed).</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class EnvironmentConfigurationTests
{
    [Fact]
    public async Task Environment_variables_configure_a_production_run()
    {
        await using var ehr = TestEhr.Start(issuer: "https://env-ehr.example.org");
        var variables = new Dictionary<string, string>
        {
            ["CdsHooks__PublicBaseUrl"] = "http://localhost",
            ["CdsHooks__Clients__0__Name"] = "Env EHR",
            ["CdsHooks__Clients__0__Issuer"] = ehr.Issuer,
            ["CdsHooks__Clients__0__JwksUrl"] = ehr.JwksUrl,
            ["CdsHooks__Clients__0__AllowedFhirServers__0"] = "https://env-ehr.example.org/fhir",
            ["Fhir__TotalTimeout"] = "00:00:03",
            ["Storage__PatientKeySecret"] = "env-patient-key-secret",
            ["Storage__DataDirectory"] = Path.Combine(Path.GetTempPath(), "ketaminecds-tests", Guid.NewGuid().ToString("N")),
        };
        foreach (var (k, v) in variables)
        {
            Environment.SetEnvironmentVariable(k, v);
        }

        try
        {
            // No configuration besides the environment: the factory's own defaults are only its base URL.
            await using var factory = new EnvOnlyFactory();
            using var client = factory.CreateClient();
            var options = factory.Services.GetRequiredService<IOptions<CdsHooksOptions>>().Value;

            Assert.Equal(ehr.Issuer, Assert.Single(options.Clients).Issuer);
            Assert.Equal(TimeSpan.FromSeconds(3), factory.Services.GetRequiredService<IOptions<KetamineCds.Fhir.FhirOptions>>().Value.TotalTimeout);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/ketamine-trd-screening")
            {
                Content = new StringContent(KetamineCds.Api.Tests.Endpoints.Requests.PatientView().ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", ehr.CreateToken("http://localhost/cds-services/ketamine-trd-screening"));
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            using var anonymous = await client.PostAsync("/cds-services/ketamine-trd-screening", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        finally
        {
            foreach (var k in variables.Keys)
            {
                Environment.SetEnvironmentVariable(k, null);
            }
        }
    }

    private sealed class EnvOnlyFactory : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
            => builder.UseEnvironment("Production");
    }
}
