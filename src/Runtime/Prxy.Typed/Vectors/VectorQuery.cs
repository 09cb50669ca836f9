using System.Numerics.Tensors;

namespace Prxy.Typed;

/// <summary>Validation and scoring shared by every vector backend, so all three agree on edge cases.</summary>
internal static class VectorQuery
{
    /// <summary>Returns an InvalidQuery error for a query no backend can answer, or null when it is valid.</summary>
    public static DbError? Validate(ColumnInfo column, ReadOnlySpan<float> query, int limit, double? minScore)
    {
        var where = $"vector search on '{column.Table?.Name}.{column.Name}'";
        if (column.Kind != ColumnKind.Vector)
        {
            return new DbError(DbErrorKind.InvalidQuery, $"{where}: the column is not a [Vector] column.");
        }

        if (query.Length != column.VectorDimensions)
        {
            return new DbError(DbErrorKind.InvalidQuery, $"{where}: the query has {query.Length} dimensions; the column holds {column.VectorDimensions}.");
        }

        return Validate(where, query, limit, minScore);
    }

    /// <summary>The checks that need no column metadata (the untyped chain knows only the column's name).</summary>
    public static DbError? Validate(string where, ReadOnlySpan<float> query, int limit, double? minScore)
    {
        if (limit <= 0)
        {
            return new DbError(DbErrorKind.InvalidQuery, $"{where}: limit must be at least 1 (was {limit}).");
        }

        for (var i = 0; i < query.Length; i++)
        {
            if (!float.IsFinite(query[i]))
            {
                return new DbError(DbErrorKind.InvalidQuery, $"{where}: the query holds {query[i]} at index {i}; every component must be a finite number.");
            }
        }

        if (TensorPrimitives.Norm(query) == 0f)
        {
            return new DbError(DbErrorKind.InvalidQuery, $"{where}: the query is the zero vector, whose cosine similarity is undefined.");
        }

        if (minScore is { } min && (double.IsNaN(min) || min < -1 || min > 1))
        {
            return new DbError(DbErrorKind.InvalidQuery, $"{where}: minScore must be within [-1, 1] (was {min}).");
        }

        return null;
    }

    /// <summary>Cosine similarity; NaN for a stored zero vector, which no backend ranks.</summary>
    public static double Cosine(ReadOnlySpan<float> query, ReadOnlySpan<float> stored)
    {
        var score = TensorPrimitives.CosineSimilarity(query, stored);
        return float.IsNaN(score) ? double.NaN : score;
    }
}
