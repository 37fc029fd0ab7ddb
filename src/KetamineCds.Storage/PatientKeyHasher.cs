using System.Security.Cryptography;
using System.Text;

namespace KetamineCds.Storage;

/// <summary>
/// The pseudonymous patient key of the audit trail: HMAC-SHA256 of the FHIR patient id under a configured secret,
/// hex. The same patient gets the same key (so calls can be grouped); without the secret it cannot be reversed or
/// recomputed from a guessed id.
/// </summary>
public sealed class PatientKeyHasher
{
    private readonly byte[] _key;

    public PatientKeyHasher(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
    }

    public string Hash(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(patientId), mac);
        return Convert.ToHexStringLower(mac);
    }
}
