namespace KetamineCds.Core.Cards;

/// <summary>
/// The code system of override reasons (<c>urn:ketamine-cds:override-reason</c>). The reasons themselves are data:
/// knowledge-base.json declares them and each finding names the ones that fit its card.
/// </summary>
internal static class OverrideReasons
{
    public const string System = "urn:ketamine-cds:override-reason";
}
