using System.Security.Cryptography;

namespace KetamineCds.Api.Smart;

/// <summary>Session ids: 256 random bits, hex.</summary>
internal static class SmartSessionIds
{
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
}
