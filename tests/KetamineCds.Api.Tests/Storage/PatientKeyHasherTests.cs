using System.Security.Cryptography;
using System.Text;
using KetamineCds.Storage;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>The audit trail's patient key: HMAC-SHA256, hex, from pooled keyed instances shared by concurrent calls.</summary>
public sealed class PatientKeyHasherTests
{
    [Fact]
    public void Matches_the_HMAC_SHA256_known_answer_of_RFC_4231_test_case_2()
    {
        using var hasher = new PatientKeyHasher("Jefe");

        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", hasher.Hash("what do ya want for nothing?"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example-trd-1")]
    [InlineData("Zoë-Ångström-患者")] // non-ASCII: hashed as UTF-8
    public void Hashes_the_UTF8_bytes_of_the_id_and_gives_the_same_key_on_every_call(string patientId)
    {
        using var hasher = new PatientKeyHasher("a-secret");

        var first = hasher.Hash(patientId);

        Assert.Equal(Reference("a-secret", patientId), first);
        Assert.Equal(first, hasher.Hash(patientId));
    }

    [Fact]
    public void An_id_longer_than_the_stack_buffer_is_hashed_whole()
    {
        using var hasher = new PatientKeyHasher("a-secret");
        var longId = new string('x', 5_000) + "é";

        Assert.Equal(Reference("a-secret", longId), hasher.Hash(longId));
        Assert.NotEqual(hasher.Hash(longId), hasher.Hash(longId[..^1]));
    }

    [Fact]
    public async Task Concurrent_callers_each_get_the_key_of_their_own_id()
    {
        using var hasher = new PatientKeyHasher("a-secret");
        var ids = Enumerable.Range(0, 400).Select(i => $"patient-{i}").ToArray();
        var expected = ids.Select(id => Reference("a-secret", id)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var mismatches = 0;
            for (var round = 0; round < 25; round++)
            {
                for (var i = worker; i < ids.Length; i += 8)
                {
                    mismatches += hasher.Hash(ids[i]) == expected[i] ? 0 : 1;
                }
            }

            return mismatches;
        })));

        Assert.All(results, mismatches => Assert.Equal(0, mismatches));
    }

    [Fact]
    public void Different_secrets_give_different_keys()
    {
        using var one = new PatientKeyHasher("secret-one");
        using var two = new PatientKeyHasher("secret-two");

        Assert.NotEqual(one.Hash("example-trd-1"), two.Hash("example-trd-1"));
    }

    private static string Reference(string secret, string value)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(value)));
}
