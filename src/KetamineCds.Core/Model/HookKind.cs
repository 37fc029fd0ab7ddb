namespace KetamineCds.Core.Model;

/// <summary>The CDS Hooks hooks this product answers.</summary>
public enum HookKind
{
    PatientView,
    OrderSelect,
    OrderSign,
}
