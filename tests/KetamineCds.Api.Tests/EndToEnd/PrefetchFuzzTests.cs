using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Contract;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>
/// Seeded mutation of real example data: any single field of any prefetched or draft resource replaced by junk of
/// another JSON type or an extreme value must still give a valid 200 answer (the value is unknown, never a crash).
/// </summary>
public sealed class PrefetchFuzzTests : IAsyncLifetime
{
    private static readonly JsonNode?[] Junk =
    [
        null, "", "junk", "2026-13-45", "-1", 0, -1, 1e300, 79228162514264337593543950335m, -79228162514264337593543950335m,
        0.0000000000000000000000000001m, true, new JsonObject(), new JsonArray(), new JsonArray(1, "x", null), new JsonObject { ["value"] = "x" },
        new string('9', 400),
    ];

    private ClinicalHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _host = ClinicalHost.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData("order-sign-esketamine.request.json", 20261127)]
    [InlineData("patient-view-trd.request.json", 42)]
    [InlineData("order-select-interacting-drug.request.json", 7)]
    [InlineData("order-sign-no-data.request.json", 100)]
    [InlineData("order-select-interacting-drug.request.json", 100)]
    public async Task Mutated_fields_never_break_a_call(string example, int seed)
    {
        var random = new Random(seed);
        var original = RepoFiles.Read("cds-hooks", "examples", example);
        for (var i = 0; i < 150; i++)
        {
            var request = JsonNode.Parse(original)!.AsObject();
            var leaves = new List<(JsonNode Parent, object Key)>();
            Collect(request["prefetch"], leaves);
            Collect(request["context"]!["draftOrders"], leaves);
            var (parent, key) = leaves[random.Next(leaves.Count)];
            var junk = Junk[random.Next(Junk.Length)]?.DeepClone();
            if (key is string name)
            {
                parent[name] = junk;
            }
            else
            {
                parent[(int)key] = junk;
            }

            var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

            var where = $"{example} mutation {i}: {parent.GetPath()}.{key} = {junk?.ToJsonString() ?? "null"}";
            Assert.True(status is 200 or 400, $"{where}: status {status}: {body}");
            if (status == 200)
            {
                Assert.True(CdsResponseValidator.Validate(body).Count == 0, $"{where}: {string.Join("; ", CdsResponseValidator.Validate(body))}");
            }
        }
    }

    /// <summary>Leaves (and small objects) inside resources, but not resourceType: that changes what the resource is.</summary>
    private static void Collect(JsonNode? node, List<(JsonNode, object)> leaves)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (name != "resourceType")
                    {
                        leaves.Add((o, name));
                    }

                    Collect(child, leaves);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    leaves.Add((a, i));
                    Collect(a[i], leaves);
                }

                break;
        }
    }
}
