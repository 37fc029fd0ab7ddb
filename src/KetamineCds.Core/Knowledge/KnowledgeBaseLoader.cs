using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Medications;

namespace KetamineCds.Core.Knowledge;

/// <summary>
/// Loads the knowledge-base data files and validates them. Any problem (unreadable JSON, a duplicate code or name,
/// a reference to an interaction class, ingredient, source or value set that does not exist, a code without a
/// verification status) throws <see cref="KnowledgeBaseException"/> naming the file and the entry.
/// </summary>
internal static class KnowledgeBaseLoader
{
    public const string KnowledgeBaseFile = "knowledge-base.json";
    public const string InteractionClassesFile = "interaction-classes.json";
    public const string IngredientsFile = "ingredients.json";
    public const string ConceptSetsFile = "concept-sets.json";
    public const string BrandsFile = "brand-names.json";
    public const string ProductsFile = "products.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions StrictJsonOptions = new(JsonOptions)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly string[] KnownSystems =
        [CodeSystems.Snomed, CodeSystems.Icd10Cm, CodeSystems.Loinc, CodeSystems.RxNorm, CodeSystems.Icd10Pcs, CodeSystems.Cpt];

    public static KnowledgeBase Load(IKnowledgeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var context = new LoadContext(source);

        var kb = context.ReadStrict<KnowledgeBaseFileDto>(KnowledgeBaseFile);
        var version = Require(kb.Version, KnowledgeBaseFile, "version", "version is missing");
        var citations = LoadCitations(kb);
        context.Citations = citations;

        context.OverrideReasons = LoadOverrideReasons(kb);
        var findingTexts = LoadFindingTexts(context, kb);
        var productLabels = LoadProductLabels(kb, citations);
        var classes = LoadInteractionClasses(context);
        var ingredients = LoadIngredients(context, classes);
        var (conceptSets, codeIndex, prefixes, severity) = LoadConceptSets(context, findingTexts);

        var phrases = new List<NamePhrase>();
        var phraseKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ingredient in ingredients.List)
        {
            AddPhrase(phrases, phraseKeys, ingredient.Name, [ingredient], false, IngredientsFile, ingredient.Name);
        }

        foreach (var (name, ingredient) in ingredients.OtherNames)
        {
            AddPhrase(phrases, phraseKeys, name, [ingredient], false, IngredientsFile, ingredient.Name + " (other name '" + name + "')");
        }

        var brands = context.ReadStrict<BrandsFileDto>(BrandsFile).Brands ?? [];
        var brandProducts = new List<(BrandDto Dto, string Entry)>();
        for (var i = 0; i < brands.Count; i++)
        {
            var b = brands[i];
            var entry = $"brands[{i}] ({b.Brand})";
            var brand = Require(b.Brand, BrandsFile, entry, "brand is missing");
            context.RequireSource(b.Source, BrandsFile, entry);
            if (b.Ingredients is null || b.Ingredients.Count == 0)
            {
                throw new KnowledgeBaseException(BrandsFile, entry, "no ingredients");
            }

            var list = new List<Ingredient>();
            foreach (var name in b.Ingredients)
            {
                if (!ingredients.ByName.TryGetValue(name, out var ingredient))
                {
                    throw new KnowledgeBaseException(BrandsFile, entry, $"ingredient '{name}' does not exist in {IngredientsFile}");
                }

                list.Add(ingredient);
            }

            AddPhrase(phrases, phraseKeys, brand, list, true, BrandsFile, entry);
            if (!string.IsNullOrWhiteSpace(b.ExampleCode))
            {
                brandProducts.Add((b, entry));
            }
        }

        var matcher = new NameMatcher(phrases);
        var products = LoadProducts(context, ingredients, matcher, brandProducts);

        return new KnowledgeBase(
            version,
            citations,
            ingredients.List,
            classes,
            conceptSets,
            codeIndex,
            prefixes,
            products,
            matcher,
            severity,
            findingTexts.ToFrozenDictionary(StringComparer.Ordinal),
            productLabels,
            brands.Count);
    }

    /// <summary>The label a card links to when none of its cited sources has a URL: a declared source with a URL, per product.</summary>
    private static ProductLabels LoadProductLabels(KnowledgeBaseFileDto kb, FrozenDictionary<string, Citation> citations)
    {
        var labels = kb.ProductLabels ?? throw new KnowledgeBaseException(KnowledgeBaseFile, "productLabels", "productLabels is missing");
        return new ProductLabels(Label(labels.Esketamine, "esketamine"), Label(labels.Ketamine, "ketamine"));

        Citation Label(string? key, string product)
        {
            var entry = "productLabels." + product;
            if (string.IsNullOrWhiteSpace(key) || !citations.TryGetValue(key, out var citation))
            {
                throw new KnowledgeBaseException(KnowledgeBaseFile, entry, $"source '{key}' is not declared in {KnowledgeBaseFile}");
            }

            return citation.Url is null
                ? throw new KnowledgeBaseException(KnowledgeBaseFile, entry, $"source '{key}' has no url (a card links to it)")
                : citation;
        }
    }

    private static FrozenDictionary<string, Citation> LoadCitations(KnowledgeBaseFileDto kb)
    {
        var citations = new Dictionary<string, Citation>(StringComparer.Ordinal);
        var sources = kb.Sources ?? throw new KnowledgeBaseException(KnowledgeBaseFile, "sources", "sources are missing");
        for (var i = 0; i < sources.Count; i++)
        {
            var s = sources[i];
            var entry = $"sources[{i}] ({s.Key})";
            var key = Require(s.Key, KnowledgeBaseFile, entry, "key is missing");
            var label = Require(s.Label, KnowledgeBaseFile, entry, "label is missing");
            if (s.Url is not null && !Uri.TryCreate(s.Url, UriKind.Absolute, out _))
            {
                throw new KnowledgeBaseException(KnowledgeBaseFile, entry, $"url '{s.Url}' is not an absolute URL");
            }

            if (!citations.TryAdd(key, new Citation(key, label, s.Url)))
            {
                throw new KnowledgeBaseException(KnowledgeBaseFile, entry, $"duplicate source key '{key}'");
            }
        }

        return citations.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, CdsCoding> LoadOverrideReasons(KnowledgeBaseFileDto kb)
    {
        var result = new Dictionary<string, CdsCoding>(StringComparer.Ordinal);
        var list = kb.OverrideReasons ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var entry = $"overrideReasons[{i}] ({list[i].Code})";
            var code = Require(list[i].Code, KnowledgeBaseFile, entry, "code is missing");
            var coding = new CdsCoding { System = OverrideReasons.System, Code = code, Display = Require(list[i].Display, KnowledgeBaseFile, entry, "display is missing") };
            if (!result.TryAdd(code, coding))
            {
                throw new KnowledgeBaseException(KnowledgeBaseFile, entry, $"duplicate override reason '{code}'");
            }
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Adds the racemic ketamine variant and the on-therapy card text, each validated like the finding itself.</summary>
    private static FindingText WithVariants(LoadContext context, FindingText text, ProductVariantDto? ketamine, OnTherapyDto? onTherapy, string file, string entry)
    {
        if (ketamine is not null)
        {
            var variantEntry = entry + " ketamine";
            text = text with
            {
                Ketamine = text with
                {
                    Kind = ketamine.Kind is null ? text.Kind : ParseKind(ketamine.Kind, file, variantEntry),
                    Guidance = Require(ketamine.Guidance, file, variantEntry, "guidance is missing"),
                    Sources = context.RequireSources(ketamine.Sources, file, variantEntry),
                    OverrideReasons = ketamine.OverrideReasons is null ? text.OverrideReasons : context.RequireOverrideReasons(ketamine.OverrideReasons, file, variantEntry),
                    Ketamine = null,
                },
            };
        }

        if (onTherapy is not null)
        {
            var onEntry = entry + " whileOnTherapy";
            var summary = Require(onTherapy.Summary, file, onEntry, "summary is missing");
            if (summary.Length > 100)
            {
                throw new KnowledgeBaseException(file, onEntry, "summary is longer than 100 characters (the card summary must stay under 140)");
            }

            text = text with
            {
                WhileOnTherapy = new OnTherapyText(summary, Require(onTherapy.Guidance, file, onEntry, "guidance is missing"), context.RequireSources(onTherapy.Sources, file, onEntry)),
            };
        }

        return text;
    }

    private static FindingKind ParseKind(string? kind, string file, string entry) => kind switch
    {
        "contraindication" => FindingKind.Contraindication,
        "precaution" => FindingKind.Precaution,
        "information" => FindingKind.Information,
        _ => throw new KnowledgeBaseException(file, entry, $"kind must be contraindication, precaution or information (was '{kind}')"),
    };

    private static Dictionary<string, FindingText> LoadFindingTexts(LoadContext context, KnowledgeBaseFileDto kb)
    {
        var result = new Dictionary<string, FindingText>(StringComparer.Ordinal);
        var list = kb.Findings ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var f = list[i];
            var entry = $"findings[{i}] ({f.FindingCode})";
            var code = Require(f.FindingCode, KnowledgeBaseFile, entry, "findingCode is missing");
            var text = new FindingText(
                code,
                ParseKind(f.Kind, KnowledgeBaseFile, entry),
                Require(f.Display, KnowledgeBaseFile, entry, "display is missing"),
                Require(f.Guidance, KnowledgeBaseFile, entry, "guidance is missing"),
                context.RequireSources(f.Sources, KnowledgeBaseFile, entry),
                context.RequireOverrideReasons(f.OverrideReasons, KnowledgeBaseFile, entry));
            text = WithVariants(context, text, f.Ketamine, f.WhileOnTherapy, KnowledgeBaseFile, entry);
            if (!result.TryAdd(code, text))
            {
                throw new KnowledgeBaseException(KnowledgeBaseFile, entry, $"duplicate finding code '{code}'");
            }
        }

        return result;
    }

    private static FrozenDictionary<string, InteractionClass> LoadInteractionClasses(LoadContext context)
    {
        var dto = context.ReadStrict<InteractionClassesFileDto>(InteractionClassesFile);
        var result = new Dictionary<string, InteractionClass>(StringComparer.Ordinal);
        var list = dto.InteractionClasses ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var c = list[i];
            var entry = $"interactionClasses[{i}] ({c.Id})";
            var id = Require(c.Id, InteractionClassesFile, entry, "id is missing");
            var severity = c.Severity switch
            {
                "major" => InteractionSeverity.Major,
                "moderate" => InteractionSeverity.Moderate,
                "info" => InteractionSeverity.Info,
                _ => throw new KnowledgeBaseException(InteractionClassesFile, entry, $"severity '{c.Severity}' is not major, moderate or info"),
            };
            var sources = context.RequireSources(c.Sources, InteractionClassesFile, entry);
            var cls = new InteractionClass(
                id,
                Require(c.Display, InteractionClassesFile, entry, "display is missing"),
                severity,
                Require(c.Effect, InteractionClassesFile, entry, "effect is missing"),
                Require(c.Management, InteractionClassesFile, entry, "management is missing"),
                sources,
                c.SeverityNote)
            {
                EsketamineManagement = c.EsketamineManagement,
                ShowCard = c.ShowCard ?? true,
                KetamineOnlyEvidence = c.KetamineOnlyEvidence ?? false,
            };
            if (!result.TryAdd(id, cls))
            {
                throw new KnowledgeBaseException(InteractionClassesFile, entry, $"duplicate interaction class id '{id}'");
            }
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record IngredientTable(
        List<Ingredient> List,
        Dictionary<string, Ingredient> ByName,
        Dictionary<string, (Ingredient Ingredient, string Entry)> ByCode,
        List<(string Name, Ingredient Ingredient)> OtherNames);

    private static IngredientTable LoadIngredients(LoadContext context, FrozenDictionary<string, InteractionClass> classes)
    {
        var dto = context.ReadStrict<IngredientsFileDto>(IngredientsFile);
        var table = new IngredientTable([], new(StringComparer.Ordinal), new(StringComparer.Ordinal), []);
        var list = dto.Ingredients ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var d = list[i];
            var entry = $"ingredients[{i}] ({d.Name})";
            var name = Require(d.Name, IngredientsFile, entry, "name is missing").Trim().ToLowerInvariant();
            var status = ParseStatus(d.CodeStatus, IngredientsFile, entry);
            var role = d.Role switch
            {
                "antidepressant" => IngredientRole.Antidepressant,
                "augmentation" => IngredientRole.Augmentation,
                "ketamine" => IngredientRole.Ketamine,
                "esketamine" => IngredientRole.Esketamine,
                "other" => IngredientRole.Other,
                _ => throw new KnowledgeBaseException(IngredientsFile, entry, $"role '{d.Role}' does not exist"),
            };
            var sources = context.RequireSources(d.Sources, IngredientsFile, entry, allowEmpty: status == CodeStatus.Unverified);
            if (role == IngredientRole.Antidepressant && string.IsNullOrWhiteSpace(d.AntidepressantClass))
            {
                throw new KnowledgeBaseException(IngredientsFile, entry, "antidepressant without antidepressantClass");
            }

            if (d.MinimumDailyDoseMg is { } min)
            {
                if (min <= 0)
                {
                    throw new KnowledgeBaseException(IngredientsFile, entry, "minimumDailyDoseMg must be positive");
                }

                context.RequireSource(d.MinimumDoseSource, IngredientsFile, entry);
            }

            var interactionClasses = new List<InteractionClass>();
            foreach (var id in d.InteractionClasses ?? [])
            {
                if (!classes.TryGetValue(id, out var cls))
                {
                    throw new KnowledgeBaseException(IngredientsFile, entry, $"interaction class '{id}' does not exist in {InteractionClassesFile}");
                }

                interactionClasses.Add(cls);
            }

            if (status != CodeStatus.Unverified && string.IsNullOrWhiteSpace(d.Rxcui))
            {
                throw new KnowledgeBaseException(IngredientsFile, entry, "no rxcui: an ingredient without a verified code must be marked codeStatus 'unverified'");
            }

            var ingredient = new Ingredient
            {
                Name = name,
                Rxcui = d.Rxcui,
                CodeStatus = status,
                Role = role,
                AntidepressantClass = d.AntidepressantClass,
                MinimumDailyDoseMg = d.MinimumDailyDoseMg,
                InteractionClasses = interactionClasses,
                Sources = sources,
            };

            if (!table.ByName.TryAdd(name, ingredient))
            {
                throw new KnowledgeBaseException(IngredientsFile, entry, $"duplicate ingredient name '{name}'");
            }

            table.List.Add(ingredient);
            if (!string.IsNullOrWhiteSpace(d.Rxcui))
            {
                AddIngredientCode(table, d.Rxcui.Trim(), ingredient, status, entry);
            }

            foreach (var extra in d.AdditionalCodes ?? [])
            {
                var extraStatus = ParseStatus(extra.CodeStatus, IngredientsFile, entry + " additional code " + extra.Code);
                context.RequireSource(extra.Source, IngredientsFile, entry);
                AddIngredientCode(table, Require(extra.Code, IngredientsFile, entry, "additional code is missing").Trim(), ingredient, extraStatus, entry);
            }

            foreach (var other in d.OtherNames ?? [])
            {
                table.OtherNames.Add((other.Trim().ToLowerInvariant(), ingredient));
            }
        }

        return table;
    }

    private static void AddIngredientCode(IngredientTable table, string code, Ingredient ingredient, CodeStatus status, string entry)
    {
        if (table.ByCode.TryGetValue(code, out var existing))
        {
            throw new KnowledgeBaseException(IngredientsFile, entry, $"duplicate code RxNorm {code} (also {existing.Entry})");
        }

        // Unverified codes stay in the file for the record but are never used to match patient data.
        if (status != CodeStatus.Unverified)
        {
            table.ByCode[code] = (ingredient, entry);
        }
    }

    private static (FrozenDictionary<string, ConceptSet>, FrozenDictionary<string, ulong>, (string, ulong)[], FrozenDictionary<string, int>) LoadConceptSets(LoadContext context, Dictionary<string, FindingText> findingTexts)
    {
        var dto = context.ReadStrict<ConceptSetsFileDto>(ConceptSetsFile);
        var sets = new Dictionary<string, ConceptSet>(StringComparer.Ordinal);
        var index = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var prefixes = new List<(string, ulong)>();
        var severity = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = dto.ConceptSets ?? [];
        if (list.Count > 64)
        {
            throw new KnowledgeBaseException(ConceptSetsFile, "conceptSets", "more than 64 concept sets");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var d = list[i];
            var entry = $"conceptSets[{i}] ({d.Id})";
            var id = Require(d.Id, ConceptSetsFile, entry, "id is missing");
            var listed = new Dictionary<string, ListedCode>(StringComparer.Ordinal);
            var set = new ConceptSet
            {
                ListedCodes = listed,
                Id = id,
                Display = Require(d.Display, ConceptSetsFile, entry, "display is missing"),
                FindingCode = d.FindingCode,
                History = d.History,
                Sources = context.RequireSources(d.Sources, ConceptSetsFile, entry),
                Bit = i,
            };
            if (!sets.TryAdd(id, set))
            {
                throw new KnowledgeBaseException(ConceptSetsFile, entry, $"duplicate concept set id '{id}'");
            }

            if (d.FindingCode is { } findingCode)
            {
                var guidance = Require(d.Guidance, ConceptSetsFile, entry, "a concept set with a findingCode needs guidance");
                var text = new FindingText(
                    findingCode,
                    ParseKind(d.Kind, ConceptSetsFile, entry),
                    set.Display,
                    guidance,
                    context.RequireSources(d.GuidanceSources, ConceptSetsFile, entry),
                    context.RequireOverrideReasons(d.OverrideReasons, ConceptSetsFile, entry));
                text = WithVariants(context, text, d.Ketamine, d.WhileOnTherapy, ConceptSetsFile, entry);
                if (!findingTexts.TryAdd(findingCode, text))
                {
                    throw new KnowledgeBaseException(ConceptSetsFile, entry, $"duplicate finding code '{findingCode}'");
                }
            }

            var own = new HashSet<string>(StringComparer.Ordinal);
            var codeCount = 0;
            foreach (var c in d.Codes ?? [])
            {
                var codeEntry = $"{entry} code {c.System}|{c.Code}";
                var key = CheckCode(context, c, codeEntry);
                if (!own.Add(key))
                {
                    throw new KnowledgeBaseException(ConceptSetsFile, codeEntry, "duplicate code in this concept set");
                }

                var status = ParseStatus(c.CodeStatus, ConceptSetsFile, codeEntry);
                if (status != CodeStatus.Unverified)
                {
                    index[key] = index.GetValueOrDefault(key) | set.Mask;
                    listed[key] = new ListedCode(CodeSystems.Describe(c.System, c.Code!.Trim()), c.Display, status, c.StatusNote, c.Source!);
                    codeCount++;
                    AddSeverity(severity, id, key, c.Display);
                }
            }

            foreach (var p in d.Prefixes ?? [])
            {
                var prefixEntry = $"{entry} prefix {p.System}|{p.Code}";
                var key = CheckCode(context, p, prefixEntry);
                if (p.System != CodeSystems.Icd10Cm)
                {
                    throw new KnowledgeBaseException(ConceptSetsFile, prefixEntry, "prefixes are supported for ICD-10-CM only");
                }

                if (ParseStatus(p.CodeStatus, ConceptSetsFile, prefixEntry) != CodeStatus.Unverified)
                {
                    prefixes.Add((key, set.Mask));
                    codeCount++;
                }
            }

            foreach (var vs in d.ValueSets ?? [])
            {
                var vsEntry = $"{entry} value set {vs.File}";
                context.RequireSource(vs.Source, ConceptSetsFile, vsEntry);
                var file = Require(vs.File, ConceptSetsFile, vsEntry, "file is missing");
                var excluded = new HashSet<string>((vs.ExcludeCodes ?? []).Select(CodeSystems.NormalizeIcd), StringComparer.Ordinal);
                var include = (vs.IncludePrefixes ?? []).Select(CodeSystems.NormalizeIcd).ToArray();
                foreach (var c in context.ReadValueSet(file, ConceptSetsFile, vsEntry))
                {
                    var normalized = CodeSystems.NormalizeIcd(c.Code!);
                    if (excluded.Contains(normalized) || (include.Length > 0 && !include.Any(normalized.StartsWith)))
                    {
                        continue;
                    }

                    var key = CodeSystems.Key(c.System, c.Code);
                    if (key is null)
                    {
                        continue;
                    }

                    index[key] = index.GetValueOrDefault(key) | set.Mask;
                    codeCount++;
                    AddSeverity(severity, id, key, c.Display);
                }
            }

            if (codeCount == 0 && string.IsNullOrWhiteSpace(d.Note))
            {
                throw new KnowledgeBaseException(ConceptSetsFile, entry, "no usable codes and no note explaining why");
            }
        }

        foreach (var required in ConceptIds.Required)
        {
            if (!sets.ContainsKey(required))
            {
                throw new KnowledgeBaseException(ConceptSetsFile, required, "required concept set is missing");
            }
        }

        // Legacy or truncated ICD-10-CM codes (e.g. I71.4 before it was split into I71.40-I71.43) stand for their
        // children: a code of at least four characters matches the sets of the codes it is a parent of.
        foreach (var (key, mask) in index.Where(kv => kv.Key.StartsWith("icd|", StringComparison.Ordinal)).ToList())
        {
            for (var length = key.Length - 1; length >= "icd|".Length + 4; length--)
            {
                var parent = "parent:" + key[..length];
                index[parent] = index.GetValueOrDefault(parent) | mask;
            }
        }

        return (sets.ToFrozenDictionary(StringComparer.Ordinal), index.ToFrozenDictionary(StringComparer.Ordinal), prefixes.ToArray(), severity.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Maudsley severity implied by a major-depression code's display (T12 bands: mild 2, moderate 3, severe 4, severe with psychosis 5).</summary>
    private static void AddSeverity(Dictionary<string, int> severity, string setId, string key, string? display)
    {
        if (setId != ConceptIds.MajorDepression || string.IsNullOrEmpty(display))
        {
            return;
        }

        var d = display.ToLowerInvariant();
        int? score =
            d.Contains("with psychotic", StringComparison.Ordinal) || d.Contains("with psychosis", StringComparison.Ordinal) ? 5
            : d.Contains("moderately severe", StringComparison.Ordinal) ? 3
            : d.Contains("severe", StringComparison.Ordinal) ? 4
            : d.Contains("moderate", StringComparison.Ordinal) ? 3
            : d.Contains("mild", StringComparison.Ordinal) || d.Contains("minimal", StringComparison.Ordinal) ? 2
            : null;
        if (score is { } s)
        {
            severity[key] = s;
        }
    }

    private static string CheckCode(LoadContext context, CodeDto c, string entry)
    {
        if (c.System is null || !KnownSystems.Contains(c.System))
        {
            throw new KnowledgeBaseException(ConceptSetsFile, entry, $"unknown code system '{c.System}'");
        }

        ParseStatus(c.CodeStatus, ConceptSetsFile, entry);
        context.RequireSource(c.Source, ConceptSetsFile, entry);
        return CodeSystems.Key(c.System, c.Code) ?? throw new KnowledgeBaseException(ConceptSetsFile, entry, "code is missing");
    }

    private static FrozenDictionary<string, ProductDefinition> LoadProducts(
        LoadContext context,
        IngredientTable ingredients,
        NameMatcher matcher,
        List<(BrandDto Dto, string Entry)> brandProducts)
    {
        var products = new Dictionary<string, ProductDefinition>(StringComparer.Ordinal);
        foreach (var (code, (ingredient, _)) in ingredients.ByCode)
        {
            products[code] = new ProductDefinition(code, ingredient.Name, [new MedicationComponent(ingredient, null)], IngredientsFile);
        }

        var dto = context.ReadStrict<ProductsFileDto>(ProductsFile);
        var explicitList = dto.Products ?? [];
        for (var i = 0; i < explicitList.Count; i++)
        {
            var p = explicitList[i];
            var entry = $"products[{i}] ({p.Code})";
            var code = Require(p.Code, ProductsFile, entry, "code is missing").Trim();
            var display = Require(p.Display, ProductsFile, entry, "display is missing");
            var status = ParseStatus(p.CodeStatus, ProductsFile, entry);
            context.RequireSource(p.Source, ProductsFile, entry);
            if (products.ContainsKey(code))
            {
                throw new KnowledgeBaseException(ProductsFile, entry, $"duplicate code RxNorm {code}");
            }

            var components = TextMedicationParser.Parse(matcher, display);
            if (components.Count == 0)
            {
                throw new KnowledgeBaseException(ProductsFile, entry, $"no known ingredient in display '{display}'");
            }

            if (status != CodeStatus.Unverified)
            {
                products[code] = new ProductDefinition(code, display, components, p.Source!);
            }
        }

        foreach (var vs in dto.ProductValueSets ?? [])
        {
            var vsEntry = $"productValueSets {vs.File}";
            context.RequireSource(vs.Source, ProductsFile, vsEntry);
            var file = Require(vs.File, ProductsFile, vsEntry, "file is missing");
            foreach (var c in context.ReadValueSet(file, ProductsFile, vsEntry))
            {
                if (c.System != CodeSystems.RxNorm || products.ContainsKey(c.Code!))
                {
                    continue;
                }

                // Products whose display names no ingredient in the table (e.g. flurazepam) are not recognised by code.
                var components = TextMedicationParser.Parse(matcher, c.Display);
                if (components.Count > 0)
                {
                    products[c.Code!] = new ProductDefinition(c.Code!, c.Display ?? c.Code!, components, vs.Source!);
                }
            }
        }

        foreach (var (b, entry) in brandProducts)
        {
            var code = b.ExampleCode!.Trim();
            if (products.ContainsKey(code))
            {
                continue;
            }

            var components = TextMedicationParser.Parse(matcher, b.ExampleDisplay);
            if (components.Count > 0)
            {
                products[code] = new ProductDefinition(code, b.ExampleDisplay ?? b.Brand!, components, BrandsFile + " " + entry);
            }
        }

        return products.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void AddPhrase(List<NamePhrase> phrases, Dictionary<string, string> keys, string name, IReadOnlyList<Ingredient> ingredients, bool isBrand, string file, string entry)
    {
        var tokens = TextTokenizer.Tokenize(name).Select(t => t.Text).ToArray();
        if (tokens.Length == 0)
        {
            throw new KnowledgeBaseException(file, entry, $"name '{name}' has no letters or digits");
        }

        var key = string.Join(' ', tokens);
        if (keys.TryGetValue(key, out var other))
        {
            throw new KnowledgeBaseException(file, entry, $"duplicate name '{name}' (also {other})");
        }

        keys[key] = entry;
        phrases.Add(new NamePhrase(name, tokens, ingredients, isBrand));
    }

    private static CodeStatus ParseStatus(string? status, string file, string entry) => status switch
    {
        "verified" => CodeStatus.Verified,
        "verified-weak" => CodeStatus.VerifiedWeak,
        "unverified" => CodeStatus.Unverified,
        null or "" => throw new KnowledgeBaseException(file, entry, "codeStatus is missing: mark the code 'verified', 'verified-weak' or 'unverified'"),
        _ => throw new KnowledgeBaseException(file, entry, $"codeStatus '{status}' is not 'verified', 'verified-weak' or 'unverified'"),
    };

    private static string Require(string? value, string file, string entry, string problem) =>
        string.IsNullOrWhiteSpace(value) ? throw new KnowledgeBaseException(file, entry, problem) : value;

    private sealed class LoadContext(IKnowledgeSource source)
    {
        private readonly Dictionary<string, List<ExpansionContainsDto>> _valueSets = new(StringComparer.Ordinal);

        public FrozenDictionary<string, Citation>? Citations { get; set; }

        public FrozenDictionary<string, CdsCoding> OverrideReasons { get; set; } = FrozenDictionary<string, CdsCoding>.Empty;

        /// <summary>The override reasons a finding names, resolved once at load (each must be declared in knowledge-base.json).</summary>
        public List<CdsCoding> RequireOverrideReasons(List<string>? codes, string file, string entry)
        {
            if (codes is null || codes.Count == 0)
            {
                return [];
            }

            var result = new List<CdsCoding>(codes.Count);
            foreach (var code in codes)
            {
                result.Add(OverrideReasons.TryGetValue(code ?? string.Empty, out var coding)
                    ? coding
                    : throw new KnowledgeBaseException(file, entry, $"override reason '{code}' is not declared in {KnowledgeBaseFile}"));
            }

            return result;
        }

        public T ReadStrict<T>(string file)
            where T : class => Read<T>(file, StrictJsonOptions);

        public List<ExpansionContainsDto> ReadValueSet(string file, string referencingFile, string entry)
        {
            if (_valueSets.TryGetValue(file, out var cached))
            {
                return cached;
            }

            if (source.Read(file) is null)
            {
                throw new KnowledgeBaseException(referencingFile, entry, $"value set file '{file}' does not exist");
            }

            var vs = Read<ValueSetFileDto>(file, JsonOptions);
            if (vs.ResourceType != "ValueSet" || vs.Expansion?.Contains is not { } contains)
            {
                throw new KnowledgeBaseException(file, "expansion", "not a FHIR ValueSet with expansion.contains");
            }

            for (var i = 0; i < contains.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(contains[i].Code) || string.IsNullOrWhiteSpace(contains[i].System))
                {
                    throw new KnowledgeBaseException(file, $"expansion.contains[{i}]", "system or code is missing");
                }
            }

            _valueSets[file] = contains;
            return contains;
        }

        public void RequireSource(string? key, string file, string entry)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new KnowledgeBaseException(file, entry, "source is missing");
            }

            var baseKey = key.Split(':', 2)[0];
            if (Citations is null || (!Citations.ContainsKey(key) && !Citations.ContainsKey(baseKey)))
            {
                throw new KnowledgeBaseException(file, entry, $"source '{key}' is not declared in {KnowledgeBaseFile}");
            }
        }

        public List<string> RequireSources(List<string>? keys, string file, string entry, bool allowEmpty = false)
        {
            if (keys is null || keys.Count == 0)
            {
                return allowEmpty ? [] : throw new KnowledgeBaseException(file, entry, "sources are missing");
            }

            foreach (var key in keys)
            {
                RequireSource(key, file, entry);
            }

            return keys;
        }

        private T Read<T>(string file, JsonSerializerOptions options)
            where T : class
        {
            var text = source.Read(file) ?? throw new KnowledgeBaseException(file, "(file)", "file does not exist");
            try
            {
                return JsonSerializer.Deserialize<T>(text, options)
                    ?? throw new KnowledgeBaseException(file, "(document)", "the file is empty (null)");
            }
            catch (JsonException ex)
            {
                throw new KnowledgeBaseException(file, ex.Path ?? "(document)", "invalid JSON: " + ex.Message, ex);
            }
        }
    }
}
