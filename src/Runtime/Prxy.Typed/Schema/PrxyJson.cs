using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Prxy.Typed;

/// <summary>JSON type information for <c>[Json]</c> columns declared without a <c>Context</c>.</summary>
public static class PrxyJson
{
    /// <summary>Type information from the reflection-based resolver; set <see cref="JsonAttribute.Context"/> to avoid it under Native AOT.</summary>
    [RequiresUnreferencedCode("Reflection-based JSON; set [Json(Context = typeof(YourJsonContext))] for trimming and Native AOT.")]
    [RequiresDynamicCode("Reflection-based JSON; set [Json(Context = typeof(YourJsonContext))] for trimming and Native AOT.")]
    public static JsonTypeInfo<T> Reflection<T>() => ReflectionCache<T>.TypeInfo;

    [RequiresUnreferencedCode("Reflection-based JSON.")]
    [RequiresDynamicCode("Reflection-based JSON.")]
    private static class ReflectionCache<T>
    {
        public static readonly JsonTypeInfo<T> TypeInfo = (JsonTypeInfo<T>)ReflectionOptions.Value.GetTypeInfo(typeof(T));
    }

    [RequiresUnreferencedCode("Reflection-based JSON.")]
    [RequiresDynamicCode("Reflection-based JSON.")]
    private static class ReflectionOptions
    {
        public static readonly JsonSerializerOptions Value = new(JsonSerializerDefaults.General) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    }
}
