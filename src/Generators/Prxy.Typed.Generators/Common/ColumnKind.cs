namespace Prxy.Typed.Generators.Common
{
    /// <summary>How a property is stored; mirrors Prxy.Typed.ColumnKind (same member names; the runtime enum is not visible to the generator). Both generators use it.</summary>
    internal enum ColumnKind
    {
        String,
        Boolean,
        Int16,
        Int32,
        Int64,
        Single,
        Double,
        Decimal,
        Guid,
        DateTimeOffset,
        DateTime,
        Bytes,
        Enum,
        Json,
        Vector,
    }
}
