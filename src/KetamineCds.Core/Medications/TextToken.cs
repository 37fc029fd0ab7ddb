namespace KetamineCds.Core.Medications;

/// <summary>One lower-case word or number of a drug name or display.</summary>
/// <param name="Text">The token text (lower case; numbers keep their decimal point).</param>
/// <param name="IsNumber">True for a number such as <c>100</c> or <c>37.5</c>.</param>
/// <param name="SlashAfter">True when a '/' follows immediately (a unit ratio such as <c>MG/ML</c>).</param>
internal readonly record struct TextToken(string Text, bool IsNumber, bool SlashAfter);
