using Microsoft.Extensions.Logging;

namespace KetamineCds.Fhir.Diagnostics;

/// <summary>
/// Log messages of the FHIR data layer (EventIds 2xxx). They carry the hook instance, prefetch keys, counts, status
/// codes and timings only: never tokens, URLs with query strings, patient ids or resource bodies. Caller-controlled
/// text is a <see cref="LogText"/> (bounded, escaped). Per hook call, Information level carries nothing here (the Api's
/// one line per call says the FHIR request count); problems are warnings.
/// </summary>
internal static partial class FhirLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Hook {HookInstance}: prefetch key {Key} used ({Pages} page(s))")]
    public static partial void PrefetchUsed(ILogger logger, LogText hookInstance, string key, int pages);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Hook {HookInstance}: prefetch key {Key} is null (no data); not queried")]
    public static partial void PrefetchNull(ILogger logger, LogText hookInstance, string key);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Hook {HookInstance}: prefetch key {Key} holds an OperationOutcome; querying the FHIR server instead")]
    public static partial void PrefetchOperationOutcome(ILogger logger, LogText hookInstance, string key);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Hook {HookInstance}: prefetch key {Key} is not a readable FHIR resource; querying the FHIR server instead")]
    public static partial void PrefetchUnreadable(ILogger logger, LogText hookInstance, string key);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Hook {HookInstance}: {Count} prefetch key(s) to query on the FHIR server")]
    public static partial void QueryingMissingKeys(ILogger logger, LogText hookInstance, int count);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Hook {HookInstance}: no fhirServer in the request; {Count} data kind(s) unavailable")]
    public static partial void NoFhirServer(ILogger logger, LogText hookInstance, int count);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Hook {HookInstance}: fhirServer {Authority} refused ({Reason}); no request sent, {Count} data kind(s) unavailable")]
    public static partial void FhirServerRefused(ILogger logger, LogText hookInstance, LogText authority, string reason, int count);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Hook {HookInstance}: prefetch key {Key} not queried: token {Token} has no value")]
    public static partial void TemplateTokenMissing(ILogger logger, LogText hookInstance, string key, string token);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key} page {Page}: FHIR server answered {StatusCode} after {ElapsedMs} ms")]
    public static partial void FhirStatus(ILogger logger, LogText hookInstance, string key, int page, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key} page {Page}: FHIR request failed ({Error}) after {ElapsedMs} ms")]
    public static partial void FhirRequestFailed(ILogger logger, LogText hookInstance, string key, int page, string error, long elapsedMs);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key} page {Page}: time budget of {BudgetMs} ms spent; answering with what we have")]
    public static partial void BudgetSpent(ILogger logger, LogText hookInstance, string key, int page, long budgetMs);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key} page {Page}: response unusable ({Problem})")]
    public static partial void ResponseUnusable(ILogger logger, LogText hookInstance, string key, int page, string problem);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key}: page limit Fhir:MaxPages={MaxPages} reached with more pages left; data truncated")]
    public static partial void PagesTruncated(ILogger logger, LogText hookInstance, string key, int maxPages);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key}: next link after page {Page} not followed ({Reason}); data incomplete")]
    public static partial void NextLinkRefused(ILogger logger, LogText hookInstance, string key, int page, string reason);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Hook {HookInstance}: key {Key}: {Skipped} resource(s) failed to parse and were skipped")]
    public static partial void ResourcesSkipped(ILogger logger, LogText hookInstance, string key, int skipped);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Debug, Message = "Hook {HookInstance}: patient data assembled in {ElapsedMs} ms: {Requests} FHIR request(s), {Unavailable} kind(s) unavailable, {Skipped} resource(s) skipped")]
    public static partial void Completed(ILogger logger, LogText hookInstance, long elapsedMs, int requests, int unavailable, int skipped);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Debug, Message = "Hook {HookInstance}: key {Key} fetched from the FHIR server ({Pages} page(s), {ElapsedMs} ms)")]
    public static partial void Fetched(ILogger logger, LogText hookInstance, string key, int pages, long elapsedMs);

    [LoggerMessage(EventId = 2018, Level = LogLevel.Warning, Message = "Hook {HookInstance}: prefetch key {Key} holds {Count} resource(s) of another patient; treated as not prefetched")]
    public static partial void PrefetchOtherPatient(ILogger logger, LogText hookInstance, string key, int count);

    [LoggerMessage(EventId = 2019, Level = LogLevel.Warning, Message = "Hook {HookInstance}: fhirServer given without fhirAuthorization; no FHIR access, {Count} data kind(s) unavailable")]
    public static partial void NoAccessToken(ILogger logger, LogText hookInstance, int count);
}
