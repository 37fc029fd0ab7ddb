namespace KetamineCds.Core.Knowledge;

/// <summary>Proposed severity (clinical-criteria.md section 3): major maps to warning, moderate and info to info.</summary>
internal enum InteractionSeverity
{
    Major,
    Moderate,
    Info,
}
