using System.Text.Json;
using Microsoft.Playwright;

namespace KetamineCds.BrowserTests;

/// <summary>
/// The TRD assessment app as an EHR shows it: opened from the card's SMART link in the demo EHR, in a side pane
/// 400 px wide (no horizontal scrolling, the timeline fits, no text clipped or too small to read) and printed (print
/// media: the section navigation hidden, the determination and the timeline shown; a PDF saved as an artifact).
/// </summary>
public sealed class SmartAppLayoutBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int SidePaneWidth = 400;

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    /// <summary>
    /// Everything the layout checks need, measured in the page: horizontal overflow of the document, elements reaching
    /// past the viewport, elements whose content is cut by their own overflow, text of the timeline outside the picture
    /// or running into the plot, and the smallest rendered font size of the timeline.
    /// </summary>
    private const string MeasureScript = """
        () => {
          const width = window.innerWidth;
          const problems = [];
          const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className : '');
          for (const el of document.body.querySelectorAll('*')) {
            if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
            const style = getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden') continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.left < -0.5 || r.right > width + 0.5) problems.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
            if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) problems.push(`${describe(el)} clips its content (${el.scrollWidth} > ${el.clientWidth})`);
            if (style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1 && el !== document.body) problems.push(`${describe(el)} clips its content vertically`);
            if (style.textOverflow === 'ellipsis') problems.push(`${describe(el)} may cut its text (ellipsis)`);
          }
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim() || node.parentElement.closest('svg')) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const rect of range.getClientRects()) {
              if (rect.right > width + 0.5 || rect.left < -0.5) problems.push(`text "${node.textContent.trim().slice(0, 40)}" reaches ${Math.round(rect.right)} px`);
            }
          }
          const svg = document.querySelector('svg.timeline');
          let svgRight = null, svgWidth = null, minFontPx = null;
          if (svg) {
            const box = svg.getBoundingClientRect();
            svgRight = box.right; svgWidth = box.width;
            const view = svg.viewBox.baseVal;
            const scale = box.width / view.width;
            const texts = [...svg.querySelectorAll('text')].map(t => ({ t, b: t.getBBox() }));
            for (const { t, b } of texts) {
              if (b.x < -0.5 || b.x + b.width > view.width + 0.5 || b.y < -0.5 || b.y + b.height > view.height + 0.5)
                problems.push(`timeline text "${t.textContent}" is cut by the picture's edge`);
              const px = parseFloat(t.getAttribute('font-size')) * scale;
              minFontPx = minFontPx === null ? px : Math.min(minFontPx, px);
            }
            for (let i = 0; i < texts.length; i++)
              for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].b, b = texts[j].b;
                if (a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5)
                  problems.push(`timeline texts "${texts[i].t.textContent}" and "${texts[j].t.textContent}" overlap`);
              }
          }
          return { innerWidth: width, scrollWidth: document.documentElement.scrollWidth, svgRight, svgWidth, minFontPx, problems };
        }
        """;

    public static TheoryData<string> Patients => new()
    {
        "demo-trd-candidate",
        "demo-trd-possible",
        "demo-trd-benzo-opioid",
        "demo-on-esketamine",
        "demo-hostile-text",
    };

    [Theory]
    [MemberData(nameof(Patients))]
    public async Task In_a_400px_side_pane_nothing_scrolls_sideways_the_timeline_fits_and_no_text_is_clipped(string patientId)
    {
        var page = await OpenAppAsync(patientId, SidePaneWidth, 900);
        await Assertions.Expect(page.Locator("svg.timeline")).ToBeVisibleAsync(Visible);
        // The page can still be laying out when the timeline first shows: one CI run on a loaded machine measured 427 px
        // of scroll width while everything in its screenshot, taken just after, lay within 400 px. Wait (up to 5 s) for
        // no sideways overflow; a page that keeps overflowing is measured and reported below all the same.
        try
        {
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new PageWaitForFunctionOptions { Timeout = 5_000 });
        }
        catch (System.TimeoutException)
        {
        }

        var layout = await MeasureAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"smart-app-400px-{patientId}");

        Assert.Equal(SidePaneWidth, layout.InnerWidth);
        Assert.True(layout.ScrollWidth <= layout.InnerWidth, $"{patientId}: horizontal scrolling ({layout.ScrollWidth} > {layout.InnerWidth} px)");
        Assert.NotNull(layout.SvgRight);
        Assert.True(layout.SvgRight <= layout.InnerWidth, $"{patientId}: the timeline ends at {layout.SvgRight} px");
        Assert.True(layout.SvgWidth >= layout.InnerWidth * 0.8, $"{patientId}: the timeline is only {layout.SvgWidth} px wide");
        Assert.True(layout.MinFontPx >= 9, $"{patientId}: timeline text renders at {layout.MinFontPx:0.0} px");
        Assert.True(layout.Problems.Count == 0, $"{patientId}:\n" + string.Join('\n', layout.Problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Printed_the_navigation_is_hidden_the_determination_and_timeline_show_and_a_pdf_is_made()
    {
        var page = await OpenAppAsync("demo-trd-benzo-opioid", SidePaneWidth, 900);
        var navigation = page.Locator("nav.sections");
        var determination = page.Locator("#determination");
        var timeline = page.Locator("svg.timeline");
        await Assertions.Expect(navigation).ToBeVisibleAsync(Visible);

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        await Assertions.Expect(navigation).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("nav, button, form").Filter(new LocatorFilterOptions { Visible = true }).CountAsync());
        await Assertions.Expect(determination).ToBeVisibleAsync(Visible);
        await Assertions.Expect(determination).ToContainTextAsync("TRD criteria met");
        await Assertions.Expect(timeline).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator("#checklist")).ToBeVisibleAsync(Visible);
        await BrowserFixture.ScreenshotAsync(page, "smart-app-print");
        var layout = await MeasureAsync(page);
        Assert.True(layout.ScrollWidth <= layout.InnerWidth, $"print: horizontal overflow ({layout.ScrollWidth} > {layout.InnerWidth} px)");
        Assert.True(layout.Problems.Count == 0, "print:\n" + string.Join('\n', layout.Problems));
        Assert.Equal(
            "exact",
            await timeline.EvaluateAsync<string>("svg => getComputedStyle(svg).printColorAdjust || getComputedStyle(svg).webkitPrintColorAdjust"));

        var pdfPath = Path.Combine(BrowserFixture.ArtifactsDirectory, "smart-app.pdf");
        var pdf = await page.PdfAsync(new PagePdfOptions { Path = pdfPath, Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 1000, $"PDF of {pdf.Length} bytes");
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        Assert.True(File.Exists(pdfPath));
        await page.Context.CloseAsync();
    }

    /// <summary>Opens the patient in the demo EHR at this viewport and follows the card's SMART link to the app.</summary>
    private async Task<IPage> OpenAppAsync(string patientId, int width, int height)
    {
        var page = await fixture.NewPageAsync(width, height);
        await page.GotoAsync("/demo");
        await page.Locator($"#patient-list button[data-patient='{patientId}']").ClickAsync();
        await Assertions.Expect(page.Locator("#cards[data-state='done'][data-hook='patient-view']")).ToBeAttachedAsync();
        var link = page.Locator("#cards article a[data-link-type='smart']").First;
        await Assertions.Expect(link).ToBeVisibleAsync(Visible);
        await link.ClickAsync();
        // Polls the URL, no load-state wait: Playwright's WaitForURL waits for a load event when the URL already matches, and
        // after the launch's redirects it can miss one (30 s timeout with the network idle); the h1 assertion waits for content.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/smart/app$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("TRD assessment");
        return page;
    }

    private static async Task<Layout> MeasureAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>(MeasureScript);
        return new Layout(
            json.GetProperty("innerWidth").GetDouble(),
            json.GetProperty("scrollWidth").GetDouble(),
            json.GetProperty("svgRight").ValueKind == JsonValueKind.Null ? null : json.GetProperty("svgRight").GetDouble(),
            json.GetProperty("svgWidth").ValueKind == JsonValueKind.Null ? null : json.GetProperty("svgWidth").GetDouble(),
            json.GetProperty("minFontPx").ValueKind == JsonValueKind.Null ? null : json.GetProperty("minFontPx").GetDouble(),
            json.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList());
    }

    private sealed record Layout(double InnerWidth, double ScrollWidth, double? SvgRight, double? SvgWidth, double? MinFontPx, IReadOnlyList<string> Problems);
}
