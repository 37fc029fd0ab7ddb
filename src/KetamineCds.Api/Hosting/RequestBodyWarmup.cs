using System.Net;
using System.Net.Http.Headers;
using KetamineCds.Api.CdsHooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Kestrel's request-body path (an HTTP/1.1 body read through the request stream into the pooled buffer, as the hook
/// endpoint reads it) costs ~3 ms on the first hook call. The service's own listener has no endpoint that reads a body
/// without authentication, an audit record or a log line, so the body is read by a Kestrel server of the warm-up's
/// own: 127.0.0.1 on a port the system picks, no logging, one handler that reads the body with
/// <see cref="RequestBody.ReadJsonAsync"/> and answers 204, stopped before readiness. It shares Kestrel's code with
/// the service's listener, not its pipeline (no authentication, no rate limit, no endpoint).
/// </summary>
internal static class RequestBodyWarmup
{
    /// <summary>Posts the bodies in turn, <paramref name="posts"/> in all; returns how many were read (204).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<byte[]> bodies, long limit, int posts, CancellationToken cancellationToken)
    {
        if (bodies.Count == 0)
        {
            return 0;
        }

        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = services };
        options.Listen(IPAddress.Loopback, 0);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        using var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        await server.StartAsync(new BodyReadingApplication(limit), cancellationToken).ConfigureAwait(false);
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null)
            {
                return 0;
            }

            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(5) };
            var read = 0;
            for (var i = 0; i < posts && !cancellationToken.IsCancellationRequested; i++)
            {
                using var content = new ByteArrayContent(bodies[i % bodies.Count]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri("warm-up", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                read += response.StatusCode == HttpStatusCode.NoContent ? 1 : 0;
            }

            return read;
        }
        finally
        {
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The whole application of the warm-up server: read the body as the hook endpoint does, answer 204.</summary>
    private sealed class BodyReadingApplication(long limit) : IHttpApplication<IFeatureCollection>
    {
        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public async Task ProcessRequestAsync(IFeatureCollection context)
        {
            var http = new DefaultHttpContext(context);
            var body = await RequestBody.ReadJsonAsync(http.Request, limit, http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = body.Error is null ? StatusCodes.Status204NoContent : StatusCodes.Status400BadRequest;
        }

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }
    }
}
