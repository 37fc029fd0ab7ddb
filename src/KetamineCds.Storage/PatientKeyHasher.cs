using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.ObjectPool;

namespace KetamineCds.Storage;

/// <summary>
/// The pseudonymous patient key of the audit trail: HMAC-SHA256 of the FHIR patient id under a configured secret,
/// hex. The same patient gets the same key (so calls can be grouped); without the secret it cannot be reversed or
/// recomputed from a guessed id.
/// </summary>
/// <remarks>
/// Keyed HMAC instances are pooled: the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/> sets up the key and
/// looks up the digest in OpenSSL on every call, which a CPU profile at 8 concurrent hook calls put at ~2% of the
/// service's time (docs/performance.md); a reused instance only hashes.
/// </remarks>
public sealed class PatientKeyHasher : IDisposable
{
    private readonly ObjectPool<IncrementalHash> _macs;

    public PatientKeyHasher(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _macs = new DefaultObjectPoolProvider().Create(new KeyedMacPolicy(Encoding.UTF8.GetBytes(secret)));
    }

    public string Hash(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var mac = _macs.Get();
        try
        {
            mac.AppendData(Encoding.UTF8.GetBytes(patientId));
            mac.GetHashAndReset(digest);
        }
        catch
        {
            mac.Dispose(); // never hand a half-fed instance to the next caller
            throw;
        }

        _macs.Return(mac);
        return Convert.ToHexStringLower(digest);
    }

    public void Dispose() => (_macs as IDisposable)?.Dispose();

    private sealed class KeyedMacPolicy(byte[] key) : IPooledObjectPolicy<IncrementalHash>
    {
        public IncrementalHash Create() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        public bool Return(IncrementalHash obj) => true;
    }
}
