using System.Reflection;

namespace Prxy.Typed.Migrations.Tests;

/// <summary>
/// The smallest <see cref="IPrxyStorage"/>: its <see cref="IDatabase"/> forwards the connection-factory members to a
/// test database and refuses everything else (the query layer is not what these tests exercise).
/// </summary>
public sealed class TestStorage(ISqlConnectionFactory database) : IPrxyStorage
{
    public IDatabase Db { get; } = DatabaseProxy.Create(database);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public class DatabaseProxy : DispatchProxy
    {
        private ISqlConnectionFactory _target = null!;

        public static IDatabase Create(ISqlConnectionFactory target)
        {
            var proxy = Create<IDatabase, DatabaseProxy>();
            ((DatabaseProxy)(object)proxy)._target = target;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.DeclaringType == typeof(ISqlConnectionFactory))
            {
                return targetMethod.Invoke(_target, args);
            }

            throw new NotSupportedException($"The migration tests' storage does not implement {targetMethod.Name}.");
        }
    }
}
