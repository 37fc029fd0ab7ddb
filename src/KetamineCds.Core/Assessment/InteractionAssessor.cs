namespace KetamineCds.Core.Assessment;

/// <summary>Groups the given exposures (current medications and/or draft orders) by interaction class (clinical-criteria.md section 3).</summary>
internal static class InteractionAssessor
{
    public static List<InteractionFinding> Assess(IEnumerable<MedicationExposure> exposures)
    {
        var byClass = new Dictionary<string, (Knowledge.InteractionClass Class, List<InteractingDrug> Drugs)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var exposure in exposures)
        {
            if (exposure.Ingredient.IsKetamineTherapy)
            {
                continue;
            }

            foreach (var cls in exposure.Ingredient.InteractionClasses)
            {
                if (!byClass.TryGetValue(cls.Id, out var entry))
                {
                    entry = (cls, []);
                    byClass[cls.Id] = entry;
                    order.Add(cls.Id);
                }

                if (!entry.Drugs.Exists(d => ReferenceEquals(d.Ingredient, exposure.Ingredient)))
                {
                    entry.Drugs.Add(new InteractingDrug(exposure.Ingredient, exposure.Text, exposure.Source, exposure.Start, exposure.DailyDoseMg));
                }
            }
        }

        return order.Select(id => new InteractionFinding(byClass[id].Class, byClass[id].Drugs)).ToList();
    }
}
