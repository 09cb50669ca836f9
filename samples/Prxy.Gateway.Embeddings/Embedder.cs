using System.Numerics.Tensors;

namespace Prxy.Gateway;

/// <summary>
/// A small deterministic text embedding (hashed words and character trigrams, L2-normalised): texts that share
/// words score high, unrelated texts near zero. It stands in for a real model so the sample needs no download.
/// </summary>
public static class Embedder
{
    /// <summary>Dimensions of every embedding; the modules' <c>[Vector(64)]</c> columns match it.</summary>
    public const int Dimensions = 64;

    /// <summary>Embeds <paramref name="text"/>.</summary>
    public static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Dimensions];
        var normalized = text.ToLowerInvariant();
        foreach (var word in normalized.Split([' ', ',', '.', '?', '!', ':', ';', '"', '\'', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            Add(vector, word, 1.0f);
            var padded = $" {word} ";
            for (var i = 0; i + 3 <= padded.Length; i++)
            {
                Add(vector, padded.Substring(i, 3), 0.25f);
            }
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        else
        {
            vector[0] = 1; // the empty text still gets a valid (non-zero) vector
        }

        return vector;
    }

    private static void Add(float[] vector, string token, float weight)
    {
        var hash = 14695981039346656037UL; // FNV-1a, stable across processes (string.GetHashCode is not)
        foreach (var ch in token)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        var index = (int)(hash % Dimensions);
        var sign = ((hash >> 32) & 1) == 0 ? 1f : -1f;
        vector[index] += sign * weight;
    }
}
