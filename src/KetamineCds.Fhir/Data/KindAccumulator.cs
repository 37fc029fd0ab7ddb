using Hl7.Fhir.Model;
using KetamineCds.Fhir.Parsing;
using KetamineCds.Fhir.Prefetch;

namespace KetamineCds.Fhir.Data;

/// <summary>What one prefetch key has yielded so far in one hook call. Touched by one task only.</summary>
internal sealed class KindAccumulator(PrefetchTemplate template)
{
    private readonly List<Resource> _resources = [];

    public PrefetchTemplate Template { get; } = template;

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>Pages read so far, the prefetched first page included.</summary>
    public int Pages { get; private set; }

    /// <summary>Pages read from the FHIR server.</summary>
    public int ServerPages { get; private set; }

    public int Skipped { get; set; }

    /// <summary>False once any part of this kind could not be obtained.</summary>
    public bool Complete { get; set; } = true;

    public bool Truncated { get; set; }

    public void AddPage(FhirPayload payload, bool fromServer)
    {
        _resources.AddRange(payload.Resources);
        Pages++;
        if (fromServer)
        {
            ServerPages++;
        }
    }
}
