using System.Net.Http.Headers;
using System.Text;
using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// The real service in memory with authentication ON (the default), one trusted fake EHR, and a client that
/// signs a fresh JWT for every call with the audience the spec requires for that endpoint.
/// </summary>
public sealed class CdsHost : IAsyncDisposable
{
    private CdsHost(TestEhr ehr, CdsApiFactory factory)
    {
        Ehr = ehr;
        Factory = factory;
        Client = factory.CreateClient();
    }

    public TestEhr Ehr { get; }

    public CdsApiFactory Factory { get; }

    public HttpClient Client { get; }

    public static CdsHost Start(IEnumerable<KeyValuePair<string, string?>>? settings = null, params string[] allowedFhirServers)
    {
        var ehr = TestEhr.Start();
        var all = ehr.ClientConfiguration(0, allowedFhirServers).Concat(settings ?? []);
        return new CdsHost(ehr, new CdsApiFactory(all));
    }

    /// <summary>POSTs <paramref name="body"/> with a token whose aud is the called URL.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = contentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Ehr.CreateToken(CdsApiFactory.PublicBaseUrl + path));
        return Client.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Ehr.CreateToken(CdsApiFactory.PublicBaseUrl + path));
        return Client.SendAsync(request, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Ehr.DisposeAsync();
    }
}
