using System.Net;
using KetamineCds.Fhir.Diagnostics;
using KetamineCds.Fhir.Http;
using KetamineCds.Fhir.Parsing;
using KetamineCds.Fhir.Prefetch;
using Microsoft.Extensions.Logging;

namespace KetamineCds.Fhir.Data;

/// <summary>
/// One hook call's data assembly: reads each prefetch key, queries the FHIR server for keys that are missing or hold an
/// OperationOutcome, follows next links, all within the call's time budget. Holds the access token only for the call.
/// </summary>
internal sealed class PatientDataCall(
    HookDataRequest request,
    FhirOptions options,
    FhirHttpClient http,
    TimeProvider time,
    ILogger logger,
    CancellationToken callerToken,
    CancellationToken budgetToken)
{
    private const string OutsideServer = "it points outside the allowed FHIR server";

    private FhirBaseUrl? _server;
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public async Task<IReadOnlyList<KindAccumulator>> RunAsync()
    {
        var plans = PrefetchTemplates.All.Select(Plan).ToList();
        var queries = plans.Count(p => p.NeedsQuery);
        var remote = plans.Count(p => p.NeedsQuery || p.NextLink is not null);
        if (remote > 0)
        {
            _server = ResolveServer(remote);
            if (queries > 0)
            {
                FhirLog.QueryingMissingKeys(logger, request.HookInstance, queries);
            }
        }

        await Task.WhenAll(plans.Select(CompleteAsync)).ConfigureAwait(false);
        return plans.Select(p => p.Kind).ToList();
    }

    private KindPlan Plan(PrefetchTemplate template)
    {
        var kind = new KindAccumulator(template);
        if (request.Prefetch is null || !request.Prefetch.TryGetValue(template.Key, out var value))
        {
            return new KindPlan(kind, NeedsQuery: true, NextLink: null);
        }

        if (value.IsNull)
        {
            FhirLog.PrefetchNull(logger, request.HookInstance, template.Key);
            return new KindPlan(kind, NeedsQuery: false, NextLink: null);
        }

        var payload = value.Payload;
        kind.Skipped += payload.Skipped;
        if (UnusableBecause(payload) is not null)
        {
            FhirLog.PrefetchOperationOutcome(logger, request.HookInstance, template.Key);
            return new KindPlan(kind, NeedsQuery: true, NextLink: null);
        }

        if (payload.Status == FhirPayloadStatus.Unreadable)
        {
            FhirLog.PrefetchUnreadable(logger, request.HookInstance, template.Key);
            return new KindPlan(kind, NeedsQuery: true, NextLink: null);
        }

        if (CountForeign(payload) is var foreign and > 0)
        {
            FhirLog.PrefetchOtherPatient(logger, request.HookInstance, template.Key, foreign);
            return new KindPlan(kind, NeedsQuery: true, NextLink: null);
        }

        kind.AddPage(payload, fromServer: false);
        return new KindPlan(kind, NeedsQuery: false, payload.NextLink);
    }

    private FhirBaseUrl? ResolveServer(int kindsNeedingIt)
    {
        var server = request.FhirServer;
        if (server is null)
        {
            FhirLog.NoFhirServer(logger, request.HookInstance, kindsNeedingIt);
            return null;
        }

        if (string.IsNullOrEmpty(request.AccessToken))
        {
            // CDS Hooks 2.0: a service presents a valid access token with every FHIR call. No token, no FHIR access.
            FhirLog.NoAccessToken(logger, request.HookInstance, kindsNeedingIt);
            return null;
        }

        var authority = server.IsAbsoluteUri ? server.Authority : "(relative URL)";
        if (!FhirBaseUrl.TryCreate(server, out var baseUrl))
        {
            FhirLog.FhirServerRefused(logger, request.HookInstance, authority,
                "not an absolute https URL (http only on loopback), or carries user info, query or fragment", kindsNeedingIt);
            return null;
        }

        if (!FhirBaseUrl.IsAllowed(baseUrl, request.AllowedFhirServers))
        {
            FhirLog.FhirServerRefused(logger, request.HookInstance, authority,
                "not among the calling client's AllowedFhirServers", kindsNeedingIt);
            return null;
        }

        return baseUrl;
    }

    private async Task CompleteAsync(KindPlan plan)
    {
        var kind = plan.Kind;
        if (plan.NeedsQuery)
        {
            await QueryAsync(kind).ConfigureAwait(false);
        }
        else if (plan.NextLink is not null)
        {
            await FollowAsync(kind, plan.NextLink).ConfigureAwait(false);
        }

        if (!plan.NeedsQuery && kind.Pages > 0)
        {
            FhirLog.PrefetchUsed(logger, request.HookInstance, kind.Template.Key, kind.Pages);
        }

        if (kind.Skipped > 0)
        {
            FhirLog.ResourcesSkipped(logger, request.HookInstance, kind.Template.Key, kind.Skipped);
        }
    }

    private async Task QueryAsync(KindAccumulator kind)
    {
        var key = kind.Template.Key;
        if (_server is null)
        {
            kind.Complete = false;
            return;
        }

        if (!PrefetchTemplateRenderer.TryRender(kind.Template.Template, request.PrefetchTokens, out var relative, out var missing))
        {
            FhirLog.TemplateTokenMissing(logger, request.HookInstance, key, missing);
            kind.Complete = false;
            return;
        }

        var isSearch = relative.Contains('?', StringComparison.Ordinal);
        if (isSearch)
        {
            relative = WithPageSize(relative, options.PageSize);
        }

        if (!_server.TryResolve(relative, out var url))
        {
            FhirLog.ResponseUnusable(logger, request.HookInstance, key, 1, "the rendered template leaves the FHIR server; not sent");
            kind.Complete = false;
            return;
        }

        var started = time.GetTimestamp();
        var first = await GetPageAsync(kind, url, page: 1, isRead: !isSearch).ConfigureAwait(false);
        if (first is null)
        {
            return;
        }

        kind.AddPage(first, fromServer: true);
        await FollowAsync(kind, first.NextLink).ConfigureAwait(false);
        var elapsedMs = ElapsedMs(started);
        FhirLog.Fetched(logger, request.HookInstance, key, kind.Pages, elapsedMs);
    }

    private async Task FollowAsync(KindAccumulator kind, string? next)
    {
        while (next is not null)
        {
            if (kind.Pages >= options.MaxPages)
            {
                FhirLog.PagesTruncated(logger, request.HookInstance, kind.Template.Key, options.MaxPages);
                kind.Truncated = true;
                return;
            }

            if (_server is null || !_server.TryResolve(next, out var url))
            {
                FhirLog.NextLinkRefused(logger, request.HookInstance, kind.Template.Key, kind.Pages,
                    _server is null ? "no allowed fhirServer to fetch it from" : OutsideServer);
                kind.Complete = false;
                return;
            }

            var page = await GetPageAsync(kind, url, kind.Pages + 1, isRead: false).ConfigureAwait(false);
            if (page is null)
            {
                return;
            }

            kind.AddPage(page, fromServer: true);
            next = page.NextLink;
        }
    }

    /// <summary>One GET, parsed. Null (and the kind marked incomplete) when it yields no usable data.</summary>
    private async Task<FhirPayload?> GetPageAsync(KindAccumulator kind, Uri url, int page, bool isRead)
    {
        var key = kind.Template.Key;
        Interlocked.Increment(ref _requests);
        var started = time.GetTimestamp();
        FhirHttpResponse response;
        try
        {
            response = await http.GetAsync(url, request.AccessToken, budgetToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Every EHR failure (network, timeout, open circuit, bad body) means "unavailable", never an exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (budgetToken.IsCancellationRequested)
            {
                FhirLog.BudgetSpent(logger, request.HookInstance, key, page, (long)options.TotalTimeout.TotalMilliseconds);
            }
            else
            {
                var elapsedMs = ElapsedMs(started);
                FhirLog.FhirRequestFailed(logger, request.HookInstance, key, page, ex.GetType().Name, elapsedMs);
            }

            kind.Complete = false;
            return null;
        }

        if (isRead && response.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The read found nothing: the same as the EHR prefetching null.
            return new FhirPayload { Status = FhirPayloadStatus.Usable };
        }

        if (!response.IsSuccess)
        {
            var elapsedMs = ElapsedMs(started);
            FhirLog.FhirStatus(logger, request.HookInstance, key, page, (int)response.Status, elapsedMs);
            kind.Complete = false;
            return null;
        }

        var payload = FhirPayloadReader.Read(response.Body);
        kind.Skipped += payload.Skipped;
        var problem = UnusableBecause(payload)
            ?? (payload.Status == FhirPayloadStatus.Unreadable ? "not a readable FHIR resource" : null);
        if (problem is null && CountForeign(payload) is var foreign and > 0)
        {
            problem = $"{foreign} resource(s) of another patient";
        }

        if (problem is not null)
        {
            FhirLog.ResponseUnusable(logger, request.HookInstance, key, page, problem);
            kind.Complete = false;
            return null;
        }

        return payload;
    }

    /// <summary>
    /// The one rule for prefetch values and server responses: an OperationOutcome instead of data, or a Bundle holding an
    /// OperationOutcome with an error or fatal issue (or none), is unusable. Informational and warning outcomes in a
    /// searchset (e.g. "results limited") are not failures.
    /// </summary>
    private static string? UnusableBecause(FhirPayload payload) => payload switch
    {
        { Status: FhirPayloadStatus.OperationOutcome } => "an OperationOutcome instead of data",
        { ErrorOutcomeEntries: > 0 } => "a Bundle holding an error OperationOutcome",
        _ => null,
    };

    /// <summary>Resources that are not the hook's patient's (see <see cref="PatientScope"/>).</summary>
    private int CountForeign(FhirPayload payload)
        => request.PatientId is { } patientId ? PatientScope.CountForeign(payload.Resources, patientId) : 0;

    private long ElapsedMs(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    private static string WithPageSize(string relative, int pageSize)
    {
        var query = relative[(relative.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var hasCount = query.Split('&').Any(p => p.StartsWith("_count=", StringComparison.Ordinal));
        return hasCount ? relative : $"{relative}&_count={pageSize}";
    }

    private sealed record KindPlan(KindAccumulator Kind, bool NeedsQuery, string? NextLink);
}
