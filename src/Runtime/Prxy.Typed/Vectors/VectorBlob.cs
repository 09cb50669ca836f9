using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Prxy.Typed;

/// <summary>The SQLite storage format of a vector: float32 little-endian, the format sqlite-vec reads.</summary>
public static class VectorBlob
{
    /// <summary>Encodes a vector as a float32 little-endian BLOB.</summary>
    public static byte[] Encode(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }
        }

        return bytes;
    }

    /// <summary>Decodes a float32 little-endian BLOB.</summary>
    /// <exception cref="FormatException">The length is not a multiple of four bytes.</exception>
    public static float[] Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length % sizeof(float) != 0)
        {
            throw new FormatException($"A vector BLOB of {blob.Length} bytes is not a whole number of float32 values.");
        }

        var vector = new float[blob.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            blob.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(blob[(i * sizeof(float))..]);
            }
        }

        return vector;
    }

    /// <summary>Views a BLOB as floats without copying (little-endian machines) — the scan's hot path.</summary>
    internal static ReadOnlySpan<float> View(ReadOnlySpan<byte> blob) =>
        BitConverter.IsLittleEndian && blob.Length % sizeof(float) == 0 ? MemoryMarshal.Cast<byte, float>(blob) : Decode(blob);
}
