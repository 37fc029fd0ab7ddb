namespace KetamineCds.Core.Knowledge;

internal enum IngredientRole
{
    Antidepressant,
    Augmentation,
    Ketamine,
    Esketamine,
    Other,
}
