using System.Collections;
using Hl7.Fhir.Model;

namespace KetamineCds.Core.Model;

/// <summary>
/// Firely's recoverable parsing keeps a primitive whose JSON value has the wrong type or an unknown code
/// (<c>"value": "nineteen"</c>, <c>"status": "bogus"</c>, a number too large for a decimal) and throws when the typed
/// value is read later. Parsers of EHR data call <see cref="RemoveInvalidValues"/> once, at the boundary, so such a
/// value reads as absent (unknown) and the rest of the resource is still used.
/// </summary>
public static class FhirPrimitives
{
    /// <summary>Clears every primitive value that cannot be read as its FHIR type; returns how many were cleared.</summary>
    public static int RemoveInvalidValues(Base node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var removed = 0;
        foreach (var (_, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case PrimitiveType primitive:
                    if (primitive.JsonValue is not null && !IsReadable(primitive))
                    {
                        primitive.JsonValue = null;
                        removed++;
                    }

                    break;
                case Base child:
                    removed += RemoveInvalidValues(child);
                    break;
                case IEnumerable children:
                    foreach (var item in children)
                    {
                        if (item is Base element)
                        {
                            removed += RemoveInvalidValues(element);
                        }
                    }

                    break;
            }
        }

        return removed;
    }

    /// <summary>Whether reading the typed value succeeds: the stored .NET type matches, and enum codes are known.</summary>
    private static bool IsReadable(PrimitiveType primitive) => primitive switch
    {
        FhirDecimal => primitive.JsonValue is decimal,
        Integer or PositiveInt or UnsignedInt => primitive.JsonValue is int,
        FhirBoolean => primitive.JsonValue is bool,

        // Parsed from their JSON string when read; enum codes must be known literals.
        Integer64 or Instant or Base64Binary => primitive.JsonValue is string && primitive.HasValidValue(),
        _ when primitive.GetType().IsGenericType => primitive.JsonValue is string && primitive.HasValidValue(),
        _ => primitive.JsonValue is string,
    };
}
