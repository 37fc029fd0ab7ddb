namespace KetamineCds.Core.Assessment;

/// <summary>A numeric observation value at a point in time.</summary>
internal readonly record struct ObservationValue(DateTimeOffset When, decimal Value);
