using Hl7.Fhir.Model;
using KetamineCds.Api.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.IO;
using Microsoft.Net.Http.Headers;

namespace KetamineCds.Api.CdsHooks;

/// <summary>Reads a JSON request body with a content-type check (415) and a size limit (413).</summary>
public static class RequestBody
{
    private const int ReadSize = 16 * 1024;

    /// <summary>The process's pool of request buffers; what it keeps when idle is bounded.</summary>
    private static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 64 * 1024 * 1024,
    });

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public readonly record struct ReadResult(ReadOnlyMemory<byte> Content, IResult? Error, int StatusCode = StatusCodes.Status200OK);

    public static async Task<ReadResult> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsJson(request.ContentType))
        {
            return new(default, OperationOutcomes.Result(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported, "The request body must be application/json."), StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false } && (sizeFeature.MaxRequestBodySize is null || sizeFeature.MaxRequestBodySize > limit + 1))
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }

        // Pooled, and returned when the response has completed: a new array per call would put every body over 85 KB on the
        // large-object heap (gen2 collections under load).
        var buffer = Buffers.GetStream(nameof(RequestBody), request.ContentLength is > 0 and var n && n <= limit ? (int)n : 16 * 1024);
        request.HttpContext.Response.RegisterForDispose(buffer);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(ReadSize), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (buffer.Length + read > limit)
                {
                    return TooLarge(limit);
                }

                buffer.Advance(read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's MinRequestBodyDataRate (a body arriving too slowly) is a 408; other framing errors keep their code.
            return new(default, OperationOutcomes.Result(ex.StatusCode, ex.StatusCode == StatusCodes.Status408RequestTimeout
                ? OperationOutcome.IssueType.Timeout : OperationOutcome.IssueType.Invalid, OperationOutcomes.MessageFor(ex.StatusCode)), ex.StatusCode);
        }

        var content = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        // Some clients write a UTF-8 byte order mark; JSON parsers over bytes do not expect it.
        return new(content.Span.StartsWith(Utf8Bom) ? content[Utf8Bom.Length..] : content, null);
    }

    private static ReadResult TooLarge(long limit) => new(default, OperationOutcomes.Result(
        StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooLong, $"The request body exceeds the limit of {limit} bytes."), StatusCodes.Status413PayloadTooLarge);

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value;
        return string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase)
            || string.Equals(type, "application/fhir+json", StringComparison.OrdinalIgnoreCase);
    }
}
