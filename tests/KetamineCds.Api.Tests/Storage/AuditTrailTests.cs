using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Storage;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>Every hook call leaves one audit record in real storage, with no patient id, name or resource in it.</summary>
public sealed class AuditTrailTests
{
    private const string ScreeningPath = "/cds-services/ketamine-trd-screening";
    private const string Tenant = "hospital-a";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_hook_call_is_audited_without_patient_data(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        var body = RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json");
        using var example = JsonDocument.Parse(body);
        var hookInstance = example.RootElement.GetProperty("hookInstance").GetString()!;
        string[] cardUuids;
        await using (var host = CdsHost.Start([.. db.Settings(), new("CdsHooks:Clients:0:Tenant", Tenant)]))
        {
            using var response = await Send(host, ScreeningPath, body, tenant: Tenant, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            cardUuids = [.. answer.RootElement.GetProperty("cards").EnumerateArray().Select(c => c.GetProperty("uuid").GetString()!)];
            Assert.NotEmpty(cardUuids);
        }

        // Disposing the host is a graceful shutdown: the audit writer has flushed its queue.
        using var database = db.Open();
        var record = Assert.Single(await new AuditStore(database).FindByHookInstanceAsync(hookInstance, ct));
        Assert.Equal("ketamine-trd-screening", record.ServiceId);
        Assert.Equal("patient-view", record.Hook);
        Assert.Equal("Test EHR 0", record.ClientName);
        Assert.Equal("https://ehr.example.test", record.ClientIssuer);
        Assert.Equal(Tenant, record.Tenant);
        Assert.Equal(200, record.Status);
        Assert.Equal("prefetch", record.DataSource);
        Assert.Equal(0, record.FhirRequests);
        Assert.True(record.DurationMs > 0);
        Assert.Equal(HmacHex("test-patient-key-secret", "example-trd-1"), record.PatientKey);
        Assert.Equal(cardUuids, record.Cards.Select(c => c.Uuid));
        Assert.Contains(record.Cards, c => c.Topic == "trd-candidate" && c.Indicator is "info" or "warning");
        Assert.All(record.Cards, c => Assert.False(string.IsNullOrEmpty(c.Topic)));

        // Nothing stored anywhere names the patient or holds a resource.
        var stored = await DumpAsync(database, ct);
        foreach (var forbidden in new[] { "example-trd-1", "Dana", "\"Example\"", "1978-04-12", "resourceType", "Practitioner/dr-lee" })
        {
            Assert.DoesNotContain(forbidden, stored, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rejected_calls_are_audited_with_the_client_when_known(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var host = CdsHost.Start(db.Settings()))
        {
            // 400: authenticated, malformed body.
            using (var bad = await Send(host, ScreeningPath, "{\"hook\":", tenant: null, ct))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            }

            // 401: a token claiming the registered issuer, signed with another key.
            await using var impostor = TestEhr.Start(issuer: host.Ehr.Issuer);
            using var forged = new HttpRequestMessage(HttpMethod.Post, ScreeningPath) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", impostor.CreateToken(CdsApiFactory.ServiceAudience("ketamine-trd-screening")));
            using (var unauthorized = await host.Client.SendAsync(forged, ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            }

            // 401 without any token: no client.
            using var anonymous = await host.Client.PostAsync(ScreeningPath, new StringContent("{}", Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var database = db.Open();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Status, string? Client)>("SELECT status, client_name FROM hook_call ORDER BY id")).ToList();
        Assert.Equal([(400L, "Test EHR 0"), (401L, "Test EHR 0"), (401L, (string?)null)], rows);
    }

    internal static async Task<HttpResponseMessage> Send(CdsHost host, string path, string body, string? tenant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Ehr.CreateToken(
            CdsApiFactory.PublicBaseUrl + path,
            d =>
            {
                if (tenant is not null)
                {
                    d.Claims["tenant"] = tenant;
                }
            }));
        return await host.Client.SendAsync(request, ct);
    }

    private static string HmacHex(string key, string value)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)));

    private static async Task<string> DumpAsync(StorageDatabase database, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var text = new StringBuilder();
        foreach (var table in new[] { "hook_call", "hook_card", "feedback" })
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM {table}"))
            {
                text.AppendJoin('|', row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))).AppendLine();
            }
        }

        return text.ToString();
    }
}
