using System.Collections;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace KetamineCds.Core.Model;

/// <summary>
/// Firely's recoverable parsing keeps what it cannot map: a primitive of the wrong JSON type or with an unknown code
/// (<c>"value": "nineteen"</c>, <c>"status": "bogus"</c>, a number too large for a decimal), a single object where a
/// list belongs (or the reverse), an element of the wrong type. Reading such an element later throws. Parsers of EHR
/// data call <see cref="RemoveUnreadableValues"/> once, at the boundary, so such an element reads as absent (unknown)
/// and the rest of the resource is still used.
/// </summary>
public static class FhirRepair
{
    /// <summary>Removes every element that cannot be read as its FHIR type; returns how many were removed.</summary>
    public static int RemoveUnreadableValues(Base node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var removed = 0;
        var mapping = ModelInfo.ModelInspector.FindClassMapping(node.GetType());
        List<string>? misfits = null;
        foreach (var (name, value) in node.EnumerateElements())
        {
            if (mapping?.FindMappedElementByName(name) is { } property && !Fits(value, property))
            {
                (misfits ??= []).Add(name);
                continue;
            }

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
                    removed += RemoveUnreadableValues(child);
                    break;
                case IList children:
                    foreach (var item in children)
                    {
                        if (item is Base element)
                        {
                            removed += RemoveUnreadableValues(element);
                        }
                    }

                    break;
            }
        }

        foreach (var name in misfits ?? [])
        {
            node[name] = null!;
            removed++;
        }

        return removed;
    }

    /// <summary>A list where the model has a list (of the right type), a single element of the right type otherwise.</summary>
    private static bool Fits(object? value, PropertyMapping property)
    {
        if (value is null)
        {
            return true;
        }

        if (!property.IsCollection)
        {
            return value is not IList && property.ImplementingType.IsInstanceOfType(value);
        }

        if (value is not IList list)
        {
            return false;
        }

        foreach (var item in list)
        {
            if (item is not null && !property.ImplementingType.IsInstanceOfType(item))
            {
                return false;
            }
        }

        return true;
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
