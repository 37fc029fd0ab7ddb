using System.Text.Json.Nodes;
using Ganss.Xss;
using Markdig;

namespace KetamineCds.Api.Demo;

/// <summary>A card as the demo page shows it: the detail already rendered to sanitised HTML.</summary>
public sealed record DemoCard(
    string Uuid,
    string ServiceId,
    string Indicator,
    string Summary,
    string DetailHtml,
    string? SourceLabel,
    string? SourceUrl,
    string? Topic,
    IReadOnlyList<DemoLink> Links,
    IReadOnlyList<DemoSuggestion> Suggestions,
    IReadOnlyList<DemoOverrideReason> OverrideReasons);

public sealed record DemoLink(string Label, string Url, string Type);

public sealed record DemoSuggestion(string Uuid, string Label, bool IsRecommended);

public sealed record DemoOverrideReason(string Code, string? System, string Display);

/// <summary>
/// Renders card markdown as an EHR would: Markdig with raw HTML disabled (HTML in card text stays text), then
/// HtmlSanitizer on the output (no script, no event handlers, http(s) links only).
/// </summary>
internal sealed class DemoCardRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();
    private readonly HtmlSanitizer _sanitizer = new();

    public DemoCardRenderer()
    {
        _sanitizer.AllowedSchemes.Clear();
        _sanitizer.AllowedSchemes.Add("https");
        _sanitizer.AllowedSchemes.Add("http");
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } a)
            {
                a.SetAttribute("target", "_blank");
                a.SetAttribute("rel", "noopener noreferrer");
            }
        };
        _sanitizer.AllowedAttributes.Add("target");
        _sanitizer.AllowedAttributes.Add("rel");
    }

    public string RenderMarkdown(string? markdown)
        => string.IsNullOrEmpty(markdown) ? "" : _sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline));

    /// <summary>SMART links go through the demo's launch endpoint, which adds iss and launch.</summary>
    public DemoCard Render(string serviceId, string patientId, JsonObject card)
    {
        var links = (card["links"]?.AsArray() ?? []).OfType<JsonObject>().Select(l =>
        {
            var type = l["type"]?.GetValue<string>() ?? "absolute";
            var url = l["url"]?.GetValue<string>() ?? "";
            if (type == "smart")
            {
                url = $"/demo/launch?patient={Uri.EscapeDataString(patientId)}&url={Uri.EscapeDataString(url)}";
            }

            return new DemoLink(l["label"]?.GetValue<string>() ?? url, url, type);
        }).ToList();
        var suggestions = (card["suggestions"]?.AsArray() ?? []).OfType<JsonObject>()
            .Select(s => new DemoSuggestion(s["uuid"]?.GetValue<string>() ?? "", s["label"]?.GetValue<string>() ?? "", s["isRecommended"]?.GetValue<bool>() ?? false))
            .ToList();
        var reasons = (card["overrideReasons"]?.AsArray() ?? []).OfType<JsonObject>()
            .Select(r => new DemoOverrideReason(r["code"]?.GetValue<string>() ?? "", r["system"]?.GetValue<string>(), r["display"]?.GetValue<string>() ?? r["code"]?.GetValue<string>() ?? ""))
            .ToList();
        var source = card["source"]?.AsObject();
        return new DemoCard(
            card["uuid"]?.GetValue<string>() ?? "",
            serviceId,
            card["indicator"]?.GetValue<string>() ?? "info",
            card["summary"]?.GetValue<string>() ?? "",
            RenderMarkdown(card["detail"]?.GetValue<string>()),
            source?["label"]?.GetValue<string>(),
            source?["url"]?.GetValue<string>(),
            source?["topic"]?["code"]?.GetValue<string>(),
            links,
            suggestions,
            reasons);
    }
}
