using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Api.Smart;

/// <summary>
/// Server-rendered HTML of the assessment app and its error pages: no script, one same-origin stylesheet, strict CSP,
/// every EHR-supplied text HTML-encoded. Written by hand (a few elements and one SVG; no templating library needed).
/// </summary>
internal static class SmartPage
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

    public const string Css = """
        body{font-family:system-ui,sans-serif;margin:0;padding:.75rem;max-width:60rem;color:#1a1a1a;line-height:1.35;overflow-wrap:break-word}
        h1{font-size:1.2rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1rem 0 .3rem;border-bottom:1px solid #ccc}
        nav.sections{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.9rem;margin:.3rem 0}
        table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #e3e3e3;padding:.2rem .3rem;text-align:left;vertical-align:top}
        .timeline{display:block;width:100%;max-width:32rem;height:auto;border:1px solid #ddd;box-sizing:border-box;print-color-adjust:exact;-webkit-print-color-adjust:exact}
        .ok{color:#17632a}.warn{color:#8a4b00}.bad{color:#9b1c1c}
        .muted{color:#555;font-size:.85rem}.sources{overflow-wrap:anywhere}ul{padding-left:1.1rem}
        table.trials td{overflow-wrap:anywhere}
        @media (max-width:480px){body{padding:.4rem}table{font-size:.85rem}td,th{padding:.2rem .15rem}
        table.trials thead{display:none}table.trials tr{display:block;border-bottom:1px solid #ccc;padding:.25rem 0}
        table.trials td{display:block;border:none;padding:.05rem .15rem}table.trials td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
        @media print{nav,nav.sections,button,form{display:none}body{max-width:none;padding:0}.timeline{border:none;max-width:100%}h2{break-after:avoid}tr,li,.timeline{break-inside:avoid}a{color:inherit;text-decoration:none}}
        """;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static IResult Error(int status, string title, string message) =>
        new PageResult(status, Document(title, $"<h1>{E(title)}</h1><p>{E(message)}</p>"));

    public static IResult Assessment(PatientRecord record, EvaluationOutcome outcome, DateTimeOffset now)
    {
        var a = outcome.Assessment!;
        var d = a.Details;
        var body = new StringBuilder();
        var name = record.Patient?.Name.FirstOrDefault() is { } n ? string.Join(' ', n.Given.Append(n.Family)) : record.Patient?.Id ?? "patient";
        body.Append("<h1>TRD assessment: ").Append(E(name)).Append("</h1>");
        body.Append("<p class=\"muted\">As of ").Append(now.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
            .Append(". Supports, does not replace, clinical judgement.</p>");
        body.Append("<nav class=\"sections\" aria-label=\"Sections\"><a href=\"#determination\">Determination</a>");
        if (d is not null)
        {
            body.Append(" <a href=\"#trials\">Trials</a> <a href=\"#staging\">Staging</a> <a href=\"#checklist\">Checklist</a>");
        }

        body.Append(" <a href=\"#missing\">Missing data</a></nav>");

        body.Append("<section id=\"determination\"><h2>Determination</h2><p><strong>").Append(E(Status(a.TrdStatus))).Append("</strong>");
        if (d is not null)
        {
            body.Append(": ").Append(E(d.TrdReason));
        }

        body.Append("</p>");
        if (a.OnKetamineTherapy)
        {
            body.Append("<p class=\"warn\">The patient is currently on ketamine/esketamine.</p>");
        }

        body.Append("</section>");

        if (d is not null)
        {
            body.Append("<section id=\"trials\"><h2>Antidepressant trials</h2>").Append(Timeline(d, now));
            body.Append("<table class=\"trials\"><thead><tr><th>Drug</th><th>Daily dose</th><th>Dates</th><th>Adequate</th><th>Failed</th></tr></thead><tbody>");
            foreach (var t in d.Trials)
            {
                body.Append("<tr><td class=\"drug\"><strong>").Append(E(t.Drug)).Append("</strong>").Append(t.RecordText is { } rt ? $"<br><span class=\"muted\">{E(rt)}</span>" : "")
                    .Append("</td><td data-label=\"Daily dose\">").Append(t.DailyDoseMg is { } mg ? E($"{mg:0.##} mg") : "unknown")
                    .Append(t.MinimumDailyDoseMg is { } min ? E($" (min {min:0.##} mg)") : "")
                    .Append("</td><td data-label=\"Dates\">").Append(E(Dates(t))).Append(t.Weeks is { } w ? E($" ({w:0.#} wk)") : "")
                    .Append("</td><td data-label=\"Adequate\" class=\"").Append(t.Adequate ? "ok" : t.Unconfirmed ? "warn" : "bad").Append("\">")
                    .Append(t.Adequate ? "yes" : t.Unconfirmed ? E($"unconfirmed ({t.Dose}, {t.Duration})") : E($"no ({t.Dose}, {t.Duration})"))
                    .Append("</td><td data-label=\"Failed\">").Append(t.Failed ? "yes: " + E(t.FailureEvidence ?? "") : "no").Append("</td></tr>");
            }

            body.Append("</tbody></table>");
            if (d.Trials.Count == 0)
            {
                body.Append("<p>No antidepressant trials found in the current episode.</p>");
            }

            body.Append("</section><section id=\"staging\"><h2>Staging</h2>");
            if (a.MaudsleyScore is { } msm)
            {
                body.Append("<p>Maudsley Staging Method: <strong>").Append(msm).Append("</strong> (").Append(E(d.MaudsleyBand ?? "")).Append(")</p><table><tbody>");
                foreach (var item in d.MaudsleyItems)
                {
                    body.Append("<tr><td>").Append(E(item.Name)).Append("</td><td>").Append(item.Score).Append("</td><td>")
                        .Append(E(item.Basis)).Append(item.Estimated ? " <span class=\"warn\">(estimated)</span>" : "").Append("</td></tr>");
                }

                body.Append("</tbody></table><p>Thase-Rush stage: <strong>").Append(E(a.ThaseRushStage ?? "")).Append("</strong> ")
                    .Append(E(d.ThaseRushBasis ?? "")).Append("</p>");
            }
            else
            {
                body.Append("<p>Not staged (TRD criteria not met).</p>");
            }

            body.Append("</section><section id=\"checklist\"><h2>Before ketamine/esketamine</h2><ul>");
            foreach (var c in d.Checklist)
            {
                body.Append("<li><strong>").Append(E(c.Kind)).Append(":</strong> ").Append(E(c.Finding));
                if (c.Evidence.Count > 0)
                {
                    body.Append("<br>Found: ").Append(E(string.Join("; ", c.Evidence)));
                }

                if (c.Guidance.Length > 0)
                {
                    body.Append("<br>").Append(E(c.Guidance));
                }

                if (c.Sources.Count > 0)
                {
                    body.Append("<br><span class=\"muted sources\">Source: ").Append(E(string.Join("; ", c.Sources))).Append("</span>");
                }

                body.Append("</li>");
            }

            body.Append("</ul></section>");
        }

        body.Append("<section id=\"missing\"><h2>Missing data</h2>");
        body.Append(outcome.MissingData.Count == 0
            ? "<p>All data kinds were read from the EHR.</p>"
            : "<p class=\"warn\">Could not be read: " + E(string.Join(", ", outcome.MissingData)) + ". Findings that depend on them may be missing.</p>");
        body.Append("</section>");
        return new PageResult(StatusCodes.Status200OK, Document("TRD assessment", body.ToString()));
    }

    /// <summary>
    /// Trials as bars (green adequate, amber unconfirmed, grey inadequate; red outline failed), each under its own label,
    /// then PHQ-9 scores as dots and systolic pressures as squares, on one time axis. Drawn 400 units wide with text of
    /// at least 10 units, so that in a ~400 px side pane the picture is shown at about its own size and the text stays
    /// readable; the labels span the full width instead of a label column.
    /// </summary>
    private static string Timeline(AssessmentDetails d, DateTimeOffset now)
    {
        var dates = d.Trials.SelectMany(t => new[] { t.Start, t.LastKnown }).OfType<DateTimeOffset>()
            .Concat(d.Phq9.Select(p => p.When)).Concat(d.Systolic.Select(p => p.When)).ToList();
        if (dates.Count == 0)
        {
            return "<p>No dated trials or measurements to draw.</p>";
        }

        var from = dates.Min().AddDays(-14);
        var to = new[] { dates.Max(), now }.Min().AddDays(14);
        if (to <= from)
        {
            to = from.AddDays(30);
        }

        const double width = 400, left = 6, right = 6, labelHeight = 13, barHeight = 12, rowGap = 6, chartHeight = 70, font = 11, small = 10;
        var rowHeight = labelHeight + barHeight + rowGap;
        var trialsHeight = Math.Max(1, d.Trials.Count) * rowHeight;
        var height = 18 + trialsHeight + 16 + chartHeight + 34;
        double X(DateTimeOffset t) => left + ((t - from).TotalDays / (to - from).TotalDays * (width - left - right));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" role=\"img\" aria-label=\"Timeline of antidepressant trials, PHQ-9 scores and blood pressure\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"12\" font-size=\"{small}\">{E(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right}\" y=\"12\" font-size=\"{small}\" text-anchor=\"end\">{E(to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</text>");
        var y = 18.0;
        foreach (var t in d.Trials)
        {
            var start = t.Start ?? t.LastKnown ?? from;
            var end = t.LastKnown ?? start;
            var x1 = X(start);
            var w = Math.Max(3, X(end) - x1);
            var fill = t.Adequate ? "#2e7d32" : t.Unconfirmed ? "#c98a00" : "#9e9e9e";
            var stroke = t.Failed ? " stroke=\"#b71c1c\" stroke-width=\"2\"" : "";
            var dose = t.DailyDoseMg is { } mg ? $" {mg:0.##} mg/day" : " dose unknown";
            var verdict = t.Failed ? ", failed" : t.Adequate ? ", adequate" : t.Unconfirmed ? ", unconfirmed" : ", not adequate";

            // The label starts above the bar, moved left as far as needed to stay inside the picture (a generous
            // estimate of its width: 0.62 em per character).
            var label = t.Drug + dose + verdict;
            var labelX = Math.Max(left, Math.Min(x1, width - right - (label.Length * font * 0.62)));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelX:0.#}\" y=\"{y + labelHeight - 3}\" font-size=\"{font}\">{E(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"trial\" x=\"{x1:0.#}\" y=\"{y + labelHeight}\" width=\"{w:0.#}\" height=\"{barHeight}\" fill=\"{fill}\"{stroke}><title>{E($"{t.Drug}{dose}, {Dates(t)}, {(t.Adequate ? "adequate" : "not adequate")}{(t.Failed ? ", failed" : "")}")}</title></rect>");
            y += rowHeight;
        }

        if (d.Trials.Count == 0)
        {
            y += rowHeight;
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{y + 10}\" font-size=\"{small}\"><tspan fill=\"#1565c0\">●</tspan> PHQ-9 (0-27)   <tspan fill=\"#6a1b9a\">■</tspan> systolic BP (60-220 mmHg)</text>");
        var top = y + 16;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + chartHeight}\" x2=\"{width - right}\" y2=\"{top + chartHeight}\" stroke=\"#999\"/>");
        foreach (var p in d.Phq9)
        {
            var py = top + chartHeight - ((double)Math.Clamp(p.Value, 0, 27) / 27 * (chartHeight - 4));
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"phq9\" cx=\"{X(p.When):0.#}\" cy=\"{py:0.#}\" r=\"3.5\" fill=\"#1565c0\"><title>PHQ-9 {p.Value:0} on {p.When:yyyy-MM-dd}</title></circle>");
        }

        foreach (var p in d.Systolic)
        {
            var py = top + chartHeight - (((double)Math.Clamp(p.Value, 60, 220) - 60) / 160 * (chartHeight - 4));
            var dia = d.Diastolic.Where(q => q.When == p.When).Select(q => $"/{q.Value:0}").FirstOrDefault() ?? "";
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bp\" x=\"{X(p.When) - 3:0.#}\" y=\"{py - 3:0.#}\" width=\"6\" height=\"6\" fill=\"#6a1b9a\"><title>BP {p.Value:0}{dia} mmHg on {p.When:yyyy-MM-dd}</title></rect>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 18}\" font-size=\"{small}\">Bars: green adequate, amber unconfirmed, grey inadequate;</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 5}\" font-size=\"{small}\">red outline: failed.</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Dates(TrialDetail t) =>
        $"{t.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?"} to {(t.LastKnown is { } l ? l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (t.EndKnown ? "" : " or later") : "?")}";

    private static string Status(TrdStatus status) => status switch
    {
        TrdStatus.Met => "TRD criteria met",
        TrdStatus.Possible => "TRD possible (adequacy of some trials cannot be confirmed)",
        _ => $"TRD: {status}",
    };

    private static string E(string text) => Html.Encode(text);

    private static string Document(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{E(title)}</title><link rel=\"stylesheet\" href=\"/smart/app.css\"></head><body>{body}</body></html>";

    private sealed class PageResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XFrameOptions = "SAMEORIGIN";
            response.Headers.CacheControl = "no-store";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
