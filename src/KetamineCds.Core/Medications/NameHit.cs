namespace KetamineCds.Core.Medications;

/// <summary>A name found in a token list: tokens [<see cref="Start"/>, <see cref="End"/>).</summary>
internal readonly record struct NameHit(int Start, int End, NamePhrase Phrase);
