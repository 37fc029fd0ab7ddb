using System.Text;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.EndToEnd;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Api.Tests.Smart;

/// <summary>The "Open TRD assessment" SMART link on TRD cards and on the safety cards of a patient on esketamine.</summary>
public sealed class SmartCardLinkTests
{
    private static CdsApiFactory Host(bool smartEnabled)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:RequireAuthentication"] = "false",
            ["CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true",
            ["CdsHooks:Clients:0:Name"] = "Example EHR",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
        };
        if (smartEnabled)
        {
            settings["CdsHooks:Clients:0:Smart:ClientId"] = "trd-app";
            settings["CdsHooks:Clients:0:AllowedFhirServers:0"] = "https://ehr.example.org/fhir";
        }

        return new CdsApiFactory(settings, s => s.AddSingleton<TimeProvider>(new ShiftedTimeProvider(ClinicalHost.Now)));
    }

    private static async Task<JsonArray> CardsAsync(CdsApiFactory factory, JsonObject request)
    {
        using var client = factory.CreateClient();
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(ClinicalHost.PathFor((string)request["hook"]!), content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["cards"]!.AsArray();
    }

    private static JsonObject Example(string name) => JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", name))!.AsObject();

    private static JsonNode? SmartLink(JsonNode card) =>
        card["links"]?.AsArray().SingleOrDefault(l => (string?)l!["type"] == "smart" && (string?)l["label"] == "Open TRD assessment");

    [Fact]
    public async Task Trd_card_carries_the_smart_launch_link_when_the_app_is_registered()
    {
        await using var factory = Host(smartEnabled: true);
        var cards = await CardsAsync(factory, Example("patient-view-trd.request.json"));

        var trd = Assert.Single(cards, c => (string?)c!["source"]!["topic"]!["code"] == "trd-candidate");
        var link = SmartLink(trd!);
        Assert.NotNull(link);
        Assert.Equal($"{CdsApiFactory.PublicBaseUrl}/smart/launch", (string?)link["url"]);
    }

    [Fact]
    public async Task With_the_link_the_trd_card_detail_is_short_and_keeps_the_key_facts_without_it_the_full_detail()
    {
        string shortDetail, fullDetail;
        JsonNode shortCard, fullCard;
        await using (var factory = Host(smartEnabled: true))
        {
            shortCard = Assert.Single(await CardsAsync(factory, Example("patient-view-trd.request.json")))!;
            shortDetail = (string)shortCard["detail"]!;
        }

        await using (var factory = Host(smartEnabled: false))
        {
            fullCard = Assert.Single(await CardsAsync(factory, Example("patient-view-trd.request.json")))!;
            fullDetail = (string)fullCard["detail"]!;
        }

        Assert.NotNull(SmartLink(shortCard));
        Assert.Null(SmartLink(fullCard));

        // Without the app the EHR gets the documented full detail (the golden example's).
        var documented = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.response.json"))!["cards"]![0]!;
        Assert.Equal((string)documented["detail"]!, fullDetail);

        // With it, the key facts: the determination, each failed trial (drug, dose, dates), the staging, the checklist,
        // the sources, and a pointer to the app; far shorter than the full text.
        foreach (var fact in new[]
        {
            "**TRD criteria met:** 3 failed adequate antidepressant trials",
            "- sertraline (sertraline 100 MG Oral Tablet) 100 mg/day, 2025-02-01 to 2025-05-10: failed",
            "- escitalopram (Lexapro 20 mg tablet) 20 mg/day, 2025-05-10 to 2025-08-25: failed",
            "- venlafaxine (Effexor XR 150 mg capsule) 150 mg/day, 2025-09-01 to 2026-11-27: failed",
            "Maudsley 8 of 15 (moderate)",
            "Thase-Rush stage II",
            "**Check before ketamine/esketamine**",
            "- Contraindications: none recorded",
            "- Blood pressure: latest 128/82 mmHg on 2026-11-24",
            "in the TRD assessment app",
        })
        {
            Assert.Contains(fact, shortDetail, StringComparison.Ordinal);
        }

        Assert.Equal(fullDetail.Split('\n')[^1], shortDetail.Split('\n')[^1]);
        Assert.Contains("Sources: [T1]", shortDetail, StringComparison.Ordinal);
        Assert.True(shortDetail.Length * 2 < fullDetail.Length, $"short detail {shortDetail.Length} chars vs full {fullDetail.Length}:\n{shortDetail}");

        // The rest of the card is the same: summary, suggestion, citation links (the SMART link added).
        Assert.Equal((string?)fullCard["summary"], (string?)shortCard["summary"]);
        Assert.Equal(fullCard["links"]!.AsArray().Count + 1, shortCard["links"]!.AsArray().Count);
        Assert.NotNull(shortCard["suggestions"]);
        Assert.Null(shortCard["shortDetail"]);
        Assert.Null(fullCard["shortDetail"]);
    }

    [Fact]
    public async Task No_link_when_the_app_is_not_registered()
    {
        await using var factory = Host(smartEnabled: false);
        var cards = await CardsAsync(factory, Example("patient-view-trd.request.json"));

        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.Null(SmartLink(c!)));
    }

    [Fact]
    public async Task Safety_cards_of_a_patient_on_esketamine_carry_the_link_in_patient_view()
    {
        // The order-sign example's patient (contraindication, interacting drug, blood pressure), now already on esketamine.
        var request = Example("order-sign-esketamine.request.json");
        var context = request["context"]!.AsObject();
        var draft = context["draftOrders"]!["entry"]![0]!["resource"]!.DeepClone().AsObject();
        context.Remove("draftOrders");
        request["hook"] = "patient-view";
        draft["id"] = "rx-esketamine";
        draft["status"] = "active";
        draft["authoredOn"] = "2026-11-20";
        request["prefetch"]!["medicationRequests"]!["entry"]!.AsArray().Add(new JsonObject { ["resource"] = draft });

        await using var factory = Host(smartEnabled: true);
        var cards = await CardsAsync(factory, request);

        Assert.Contains(cards, c => (string?)c!["source"]!["topic"]!["code"] == "contraindication");
        Assert.All(cards, c => Assert.NotNull(SmartLink(c!)));

        // Safety cards are short already and keep their whole detail (no safety fact behind a click).
        Assert.All(cards, c => Assert.DoesNotContain("TRD assessment app", (string)c!["detail"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Order_sign_safety_cards_carry_no_link()
    {
        await using var factory = Host(smartEnabled: true);
        var cards = await CardsAsync(factory, Example("order-sign-esketamine.request.json"));

        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.Null(SmartLink(c!)));
    }
}
