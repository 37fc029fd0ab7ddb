using System.Collections;
using System.Globalization;
using System.Reflection;
using KetamineCds.Core;
using KetamineCds.Fhir;

namespace KetamineCds.Api.Configuration;

/// <summary>
/// The configuration sections the service owns and the keys they may hold, derived by reflection from the options types
/// (public settable properties; lists and arrays take numeric indexes; dictionaries take any key). A key under an owned
/// section that no options type declares is a misspelling the binder would silently ignore, so start-up refuses it.
/// A new options class joins with one line in <see cref="Sections"/>.
/// </summary>
public static class ConfigurationSchema
{
    /// <summary>Section name -> the options type bound to it. One registration line per section.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [CdsHooksOptions.SectionName] = typeof(CdsHooksOptions),
        [FhirOptions.SectionName] = typeof(FhirOptions),
        [ClinicalOptions.SectionName] = typeof(ClinicalOptions),
        [KetamineCds.Storage.StorageOptions.SectionName] = typeof(KetamineCds.Storage.StorageOptions),
        [Admin.AdminOptions.SectionName] = typeof(Admin.AdminOptions),
        [Demo.DemoOptions.SectionName] = typeof(Demo.DemoOptions),
        [Scaling.RedisOptions.SectionName] = typeof(Scaling.RedisOptions),
        [Diagnostics.TelemetryOptions.SectionName] = typeof(Diagnostics.TelemetryOptions),
    };

    /// <summary>Every key under the owned sections, as a template: <c>{n}</c> stands for an array index, <c>{key}</c> for a dictionary key.</summary>
    public static IReadOnlyList<string> KnownKeys()
    {
        var keys = new List<string>();
        foreach (var (section, type) in Sections)
        {
            AddKeys(section, type, keys, depth: 0);
        }

        return keys;
    }

    /// <summary>Keys present in <paramref name="configuration"/> under the owned sections that the options types do not declare.</summary>
    public static IReadOnlyList<string> UnknownKeys(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var unknown = new List<string>();
        foreach (var (section, type) in Sections)
        {
            Check(configuration.GetSection(section), type, unknown, depth: 0);
        }

        return unknown;
    }

    private enum Shape
    {
        Leaf,
        List,
        Dictionary,
        Object,
    }

    private const int MaxDepth = 8;

    private static void Check(IConfigurationSection section, Type type, List<string> unknown, int depth)
    {
        var (shape, element) = Classify(type);
        foreach (var child in section.GetChildren())
        {
            switch (shape)
            {
                case Shape.Leaf:
                    unknown.Add(child.Path);
                    break;
                case Shape.List when !int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                    unknown.Add(child.Path);
                    break;
                case Shape.List or Shape.Dictionary:
                    Check(child, element!, unknown, depth + 1);
                    break;
                default:
                    if (depth < MaxDepth && Property(type, child.Key) is { } property)
                    {
                        Check(child, property.PropertyType, unknown, depth + 1);
                    }
                    else
                    {
                        unknown.Add(child.Path);
                    }

                    break;
            }
        }
    }

    private static void AddKeys(string prefix, Type type, List<string> keys, int depth)
    {
        var (shape, element) = Classify(type);
        switch (shape)
        {
            case Shape.Leaf:
                keys.Add(prefix);
                break;
            case Shape.List:
                AddKeys(prefix + ":{n}", element!, keys, depth + 1);
                break;
            case Shape.Dictionary:
                AddKeys(prefix + ":{key}", element!, keys, depth + 1);
                break;
            default:
                if (depth >= MaxDepth)
                {
                    return;
                }

                foreach (var property in Properties(type))
                {
                    AddKeys(prefix + ":" + property.Name, property.PropertyType, keys, depth + 1);
                }

                break;
        }
    }

    private static (Shape Shape, Type? Element) Classify(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid))
        {
            return (Shape.Leaf, null);
        }

        if (type.IsArray)
        {
            return (Shape.List, type.GetElementType());
        }

        var dictionary = GenericInterface(type, typeof(IDictionary<,>)) ?? GenericInterface(type, typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return (Shape.Dictionary, dictionary.GetGenericArguments()[1]);
        }

        var enumerable = GenericInterface(type, typeof(IEnumerable<>));
        if (enumerable is not null && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return (Shape.List, enumerable.GetGenericArguments()[0]);
        }

        return (Shape.Object, null);
    }

    private static Type? GenericInterface(Type type, Type definition)
        => type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    /// <summary>What the configuration binder binds: public instance properties with a public setter, or a readable collection/object.</summary>
    private static IEnumerable<PropertyInfo> Properties(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || (p.CanRead && Classify(p.PropertyType).Shape != Shape.Leaf)));

    private static PropertyInfo? Property(Type type, string name)
        => Properties(type).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
