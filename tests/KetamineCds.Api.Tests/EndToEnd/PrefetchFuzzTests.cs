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

    /// <summary>Bytes that change the JSON's structure or encoding when written over a byte of the body.</summary>
    private static readonly byte[] StructuralBytes = [.. "{}[],:\"\\0-e ntf"u8, 0xFF, 0xC3, 0x80, 0x00];

    [Theory]
    [InlineData("patient-view-trd.request.json", "patient-view", 11)]
    [InlineData("order-sign-esketamine.request.json", "order-sign", 12)]
    [InlineData("order-select-interacting-drug.request.json", "order-select", 13)]
    public async Task Byte_level_mutations_are_a_200_or_a_400_and_never_disturb_the_next_call(string example, string hook, int seed)
    {
        // The body is read in one forward pass, and a resource found unreadable half-way is skipped by moving the reader to
        // its end: a byte overwritten, removed or repeated anywhere (or the body cut short) must be an answer, a clean 400,
        // or 412 when it made a prefetch value unusable (no fhirServer to fetch it from), and the unmutated call right
        // after it must give the same answer as before.
        var random = new Random(seed);
        var original = System.Text.Encoding.UTF8.GetBytes(RepoFiles.Read("cds-hooks", "examples", example));
        var (_, expected) = await _host.CallRawAsync(hook, original, TestContext.Current.CancellationToken);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 200; i++)
        {
            var at = random.Next(original.Length);
            var (mutated, what) = random.Next(4) switch
            {
                0 => (Overwrite(original, at, StructuralBytes[random.Next(StructuralBytes.Length)]), "overwritten"),
                1 => ([.. original.AsSpan(0, at), .. original.AsSpan(at + 1)], "removed"),
                2 => ([.. original.AsSpan(0, at + 1), .. original.AsSpan(at)], "repeated"),
                _ => (original[..at], "cut"),
            };

            var (status, body) = await _host.CallRawAsync(hook, mutated, TestContext.Current.CancellationToken);
            var where = $"{example}, byte {at} {what}";
            Assert.True(status is 200 or 400 or 412, $"{where}: status {status}: {body}");
            Assert.True(status != 200 || CdsResponseValidator.Validate(body).Count == 0, $"{where}: {string.Join("; ", CdsResponseValidator.Validate(body))}");
            Assert.True(status == 200 || body.Contains("\"resourceType\":\"OperationOutcome\"", StringComparison.Ordinal), $"{where}: {body}");
            if (status == 400 && IsValidRequestWithOtherPrefetchContent(mutated, original))
            {
                Assert.Fail($"{where}: valid JSON, same request, only prefetch content changed, yet 400: {body}");
            }
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            var (afterStatus, after) = await _host.CallRawAsync(hook, original, TestContext.Current.CancellationToken);
            Assert.Equal(200, afterStatus);
            Assert.Equal(WithoutUuids(expected), WithoutUuids(after));
        }

        // Answers and refusals were both exercised, or the mutations did not reach the reader's interesting paths.
        Assert.True(statuses.GetValueOrDefault(200) > 10 && statuses.GetValueOrDefault(400) > 10, string.Join(", ", statuses));
    }

    /// <summary>
    /// Whether the mutation left well-formed JSON with every member but prefetch unchanged, and every prefetch value still
    /// an object with a resourceType (or null): then nothing entitles the service to a 400, whatever the resources hold
    /// (text that is not valid UTF-8 inside a resource included: that resource is unreadable, the request is not).
    /// </summary>
    private static bool IsValidRequestWithOtherPrefetchContent(byte[] mutated, byte[] original)
    {
        var before = JsonNode.Parse(original)!.AsObject();
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(mutated);
            var request = document.RootElement;
            return request.ValueKind == System.Text.Json.JsonValueKind.Object
                   && request.EnumerateObject().Count() == before.Count
                   && before.Where(p => p.Key != "prefetch").All(p =>
                       request.TryGetProperty(p.Key, out var value) && JsonNode.DeepEquals(p.Value, JsonNode.Parse(value.GetRawText())))
                   && request.TryGetProperty("prefetch", out var prefetch)
                   && prefetch.ValueKind == System.Text.Json.JsonValueKind.Object
                   && prefetch.EnumerateObject().All(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null
                       || (p.Value.ValueKind == System.Text.Json.JsonValueKind.Object && p.Value.TryGetProperty("resourceType"u8, out _)));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // Not well-formed, or a member outside prefetch holding text that is not valid UTF-8.
            return false;
        }
    }

    private static byte[] Overwrite(byte[] original, int at, byte value)
    {
        var copy = original.ToArray();
        copy[at] = value;
        return copy;
    }

    private static string WithoutUuids(string json)
        => System.Text.RegularExpressions.Regex.Replace(json, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "uuid");

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
