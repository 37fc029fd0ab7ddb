namespace KetamineCds.Core.Assessment;

/// <summary>One Maudsley item: its score, what it rests on, and whether it was estimated.</summary>
internal sealed record StagingItem(string Name, int Score, string Basis, bool Estimated);
