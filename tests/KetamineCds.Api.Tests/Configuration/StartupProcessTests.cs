using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.Configuration;

/// <summary>
/// The built service started as an administrator would (a real process, settings from environment variables): a bad
/// setting ends it with exit code 1 and a message naming the key, never a stack trace or an abort.
/// </summary>
public sealed class StartupProcessTests
{
    private static Dictionary<string, string> ValidProduction() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["CdsHooks__PublicBaseUrl"] = "https://cds.example.org",
        ["CdsHooks__Clients__0__Name"] = "Epic",
        ["CdsHooks__Clients__0__Issuer"] = "https://ehr.example.org",
        ["CdsHooks__Clients__0__JwksUrl"] = "https://ehr.example.org/jwks.json",
        ["Storage__PatientKeySecret"] = "process-test-patient-key-secret",
        ["Storage__DataDirectory"] = Path.Combine(Path.GetTempPath(), "ketaminecds-process-tests"),
    };

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "CdsHooks__RequireAuthentication", "false", "CdsHooks:RequireAuthentication is false in the 'Production' environment" },
        { "CdsHooks__RequireAuthentiction", "true", "CdsHooks:RequireAuthentiction is not a setting this service knows" },
        { "Fhir__MaxRetries", "many", "Fhir:MaxRetries" },
        { "CdsHooks__Clients__1__Isuer", "https://ehr2.example.org", "CdsHooks:Clients:1:Isuer is not a setting this service knows" },
        { "CdsHooks__PublicBaseUrl", "http://cds.example.org", "CdsHooks:PublicBaseUrl must use https" },
        { "Clinical__MinimumTrialWeeks", "0", "Clinical:MinimumTrialWeeks" },
        { "CdsHooks__Clients__0__Jwks", """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""", "CdsHooks:Clients:0:Jwks key 0 contains private or symmetric key material ('k')" },
        { "CdsHooks__Clients__0__Issuer", "https://ehr.example-hospital.org", "CdsHooks:Clients:0:Issuer still holds a placeholder value" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_setting_exits_with_code_1_and_a_message_naming_the_key(string variable, string value, string expected)
    {
        var environment = ValidProduction();
        environment[variable] = value;
        using var api = ApiProcess.Start(environment);

        var exitCode = await api.ExitCodeAsync();

        var output = api.Output;
        Assert.True(exitCode == 1, $"exit code {exitCode}; output:\n{output}");
        Assert.Contains("KetamineCds cannot start", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_in_use_exits_with_code_1_and_a_message_without_a_stack_trace()
    {
        using var occupied = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((System.Net.IPEndPoint)occupied.LocalEndpoint).Port;
        var environment = ValidProduction();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        using var api = ApiProcess.Start(environment);

        var exitCode = await api.ExitCodeAsync();

        var output = api.Output;
        Assert.True(exitCode == 1, $"exit code {exitCode}; output:\n{output}");
        Assert.Contains($"Failed to bind to address http://127.0.0.1:{port}: address already in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", output, StringComparison.Ordinal);
        Assert.DoesNotContain("in use Address already in use", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Authentication_off_with_the_override_starts_and_logs_an_error()
    {
        using var api = await StartWithAuthenticationOffAsync();

        var output = api.Output;
        Assert.Contains("fail: KetamineCds.Api.Security.SecurityExtensions[5012]", output, StringComparison.Ordinal);
        Assert.Contains("EHR authentication is OFF in the Production environment", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_production_settings_start()
    {
        using var api = ApiProcess.Start(ValidProduction());

        Assert.True(await api.WaitForOutputAsync("Application started"), api.Output);
        Assert.DoesNotContain("fail:", api.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ContentRootCheck[1701]", api.Output, StringComparison.Ordinal);

        // Warmed over its own listener too before it reports ready: /health/live 40 times and, discovery being public
        // by default, the discovery document 3 times; request bodies over the warm-up's own Kestrel server.
        Assert.True(await api.WaitForOutputAsync("Warm-up:"), api.Output);
        Assert.Matches(@"Warm-up: \d+ example requests, 1 warm-up record\(s\), \d+ evaluations, 80 token validations, 40 authorizations, 40 replay checks, 0 trusted key\(s\) prepared, 10 request bodies read, 43 loopback requests, 0 failures", api.Output);
    }

    [Fact]
    public async Task Started_from_a_folder_without_its_settings_file_it_says_so()
    {
        var elsewhere = Directory.CreateTempSubdirectory("ketaminecds-cwd-").FullName;
        try
        {
            using var api = ApiProcess.Start(ValidProduction(), workingDirectory: elsewhere);

            Assert.True(await api.WaitForOutputAsync("Application started"), api.Output);
            Assert.Contains("warn: KetamineCds.Api.Hosting.ContentRootCheck[1701]", api.Output, StringComparison.Ordinal);
            Assert.Contains($"No appsettings.json in the content root {elsewhere}", api.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task Each_hook_call_writes_one_console_line_in_the_framework_format()
    {
        using var api = await StartWithAuthenticationOffAsync();
        var url = Regex.Match(api.Output, @"Now listening on: (http://\S+)").Groups[1].Value;
        var hookInstance = Guid.NewGuid().ToString();
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!;
        request["hookInstance"] = hookInstance;

        using var client = new HttpClient { BaseAddress = new Uri(url) };
        using var content = new StringContent(request.ToJsonString());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri("cds-services/ketamine-trd-screening", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        Assert.True(await api.WaitForOutputAsync(hookInstance), api.Output);
        var line = Assert.Single(api.Output.Split('\n'), l => l.Contains(hookInstance, StringComparison.Ordinal));
        Assert.Matches(
            $@"^info: KetamineCds\.Api[\w.]*\[1001\] Hook ketamine-trd-screening {hookInstance}: [1-9] card\(s\), 0 FHIR request\(s\), [0-9.]+ ms\r?$",
            line);
    }

    [Fact]
    public async Task Started_as_deployed_the_process_is_named_as_the_README_tells_dotnet_counters()
    {
        // README: dotnet-counters monitor -n KetamineCds.Api. dotnet-counters matches the OS process name, which is the
        // app host's name; the systemd unit and the container start the app host, not "dotnet KetamineCds.Api.dll".
        using var api = ApiProcess.Start(ValidProduction(), viaAppHost: true);
        Assert.True(await api.WaitForOutputAsync("Application started"), api.Output);

        Assert.Equal("KetamineCds.Api", System.Diagnostics.Process.GetProcessById(api.Id).ProcessName);
        Assert.Contains(System.Diagnostics.Process.GetProcessesByName("KetamineCds.Api"), p => p.Id == api.Id);
        Assert.Contains("dotnet-counters monitor -n KetamineCds.Api", RepoFiles.Read("README.md"), StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/ketamine-cds/KetamineCds.Api ", RepoFiles.Read("deploy", "ketamine-cds.service"), StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"./KetamineCds.Api\"]", RepoFiles.Read("Dockerfile"), StringComparison.Ordinal);
    }

    /// <summary>Production with authentication off through its loudly named override, started and listening.</summary>
    private static async Task<ApiProcess> StartWithAuthenticationOffAsync()
    {
        var environment = ValidProduction();
        environment["CdsHooks__RequireAuthentication"] = "false";
        environment["CdsHooks__InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true";
        var api = ApiProcess.Start(environment);
        if (!await api.WaitForOutputAsync("Application started"))
        {
            var output = api.Output;
            api.Dispose();
            Assert.Fail(output);
        }

        return api;
    }
}
