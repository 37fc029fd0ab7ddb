#pragma warning disable CA1812 // Instantiated by System.Text.Json.
namespace KetamineCds.Core.Knowledge;

// The shapes of the JSON data files (Knowledge/Data). Validation happens in KnowledgeBaseLoader.

internal sealed class KnowledgeBaseFileDto
{
    public string? Version { get; set; }
    public string? Description { get; set; }
    public List<SourceDto>? Sources { get; set; }
    public List<FindingTextDto>? Findings { get; set; }
    public List<OverrideReasonDto>? OverrideReasons { get; set; }
    public ProductLabelsDto? ProductLabels { get; set; }
}

internal sealed class ProductLabelsDto
{
    public string? Esketamine { get; set; }
    public string? Ketamine { get; set; }
}

internal sealed class OverrideReasonDto
{
    public string? Code { get; set; }
    public string? Display { get; set; }
}

internal sealed class ProductVariantDto
{
    public string? Kind { get; set; }
    public string? Guidance { get; set; }
    public List<string>? Sources { get; set; }
    public List<string>? OverrideReasons { get; set; }
}

internal sealed class OnTherapyDto
{
    public string? Summary { get; set; }
    public string? Guidance { get; set; }
    public List<string>? Sources { get; set; }
}

internal sealed class FindingTextDto
{
    public string? FindingCode { get; set; }
    public string? Kind { get; set; }
    public List<string>? OverrideReasons { get; set; }
    public ProductVariantDto? Ketamine { get; set; }
    public OnTherapyDto? WhileOnTherapy { get; set; }
    public string? Display { get; set; }
    public string? Guidance { get; set; }
    public List<string>? Sources { get; set; }
}

internal sealed class SourceDto
{
    public string? Key { get; set; }
    public string? Label { get; set; }
    public string? Url { get; set; }
}

internal sealed class IngredientsFileDto
{
    public List<IngredientDto>? Ingredients { get; set; }
}

internal sealed class IngredientDto
{
    public string? Name { get; set; }
    public string? Rxcui { get; set; }
    public string? CodeStatus { get; set; }
    public List<string>? Sources { get; set; }
    public string? Role { get; set; }
    public string? AntidepressantClass { get; set; }
    public decimal? MinimumDailyDoseMg { get; set; }
    public string? MinimumDoseSource { get; set; }
    public List<string>? InteractionClasses { get; set; }
    public List<string>? OtherNames { get; set; }
    public List<AdditionalCodeDto>? AdditionalCodes { get; set; }
}

internal sealed class AdditionalCodeDto
{
    public string? Code { get; set; }
    public string? CodeStatus { get; set; }
    public string? Source { get; set; }
}

internal sealed class InteractionClassesFileDto
{
    public List<InteractionClassDto>? InteractionClasses { get; set; }
}

internal sealed class InteractionClassDto
{
    public string? Id { get; set; }
    public string? Display { get; set; }
    public string? Severity { get; set; }
    public string? SeverityNote { get; set; }
    public string? Effect { get; set; }
    public string? Management { get; set; }
    public string? EsketamineManagement { get; set; }
    public bool? ShowCard { get; set; }

    public bool? KetamineOnlyEvidence { get; set; }
    public List<string>? Sources { get; set; }
}

internal sealed class ConceptSetsFileDto
{
    public List<ConceptSetDto>? ConceptSets { get; set; }
}

internal sealed class ConceptSetDto
{
    public string? Id { get; set; }
    public string? Display { get; set; }
    public string? FindingCode { get; set; }
    public string? Kind { get; set; }
    public List<string>? OverrideReasons { get; set; }
    public ProductVariantDto? Ketamine { get; set; }
    public OnTherapyDto? WhileOnTherapy { get; set; }
    public bool History { get; set; }
    public List<string>? Sources { get; set; }
    public List<ValueSetRefDto>? ValueSets { get; set; }
    public List<CodeDto>? Codes { get; set; }
    public List<CodeDto>? Prefixes { get; set; }
    public string? Note { get; set; }
    public string? Guidance { get; set; }
    public List<string>? GuidanceSources { get; set; }
}

internal sealed class ValueSetRefDto
{
    public string? File { get; set; }
    public string? Source { get; set; }
    public List<string>? IncludePrefixes { get; set; }
    public List<string>? ExcludeCodes { get; set; }
}

internal sealed class CodeDto
{
    public string? System { get; set; }
    public string? Code { get; set; }
    public string? Display { get; set; }
    public string? CodeStatus { get; set; }
    public string? StatusNote { get; set; }
    public string? Source { get; set; }
}

internal sealed class BrandsFileDto
{
    public List<BrandDto>? Brands { get; set; }
}

internal sealed class BrandDto
{
    public string? Brand { get; set; }
    public List<string>? Ingredients { get; set; }
    public string? ExampleCode { get; set; }
    public string? ExampleDisplay { get; set; }
    public string? Source { get; set; }
}

internal sealed class ProductsFileDto
{
    public List<ValueSetRefDto>? ProductValueSets { get; set; }
    public List<ProductDto>? Products { get; set; }
}

internal sealed class ProductDto
{
    public string? Code { get; set; }
    public string? Display { get; set; }
    public string? CodeStatus { get; set; }
    public string? Source { get; set; }
    public string? Note { get; set; }
}

// FHIR ValueSet expansion (only the members read here; other members are ignored).
internal sealed class ValueSetFileDto
{
    public string? ResourceType { get; set; }
    public string? Url { get; set; }
    public string? Title { get; set; }
    public ExpansionDto? Expansion { get; set; }
}

internal sealed class ExpansionDto
{
    public List<ExpansionContainsDto>? Contains { get; set; }
}

internal sealed class ExpansionContainsDto
{
    public string? System { get; set; }
    public string? Code { get; set; }
    public string? Display { get; set; }
}
