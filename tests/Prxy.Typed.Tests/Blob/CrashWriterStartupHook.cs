/// <summary>
/// The runtime calls <c>Initialize</c> when this assembly is listed in <c>DOTNET_STARTUP_HOOKS</c>; it must be named
/// exactly so and live outside any namespace. It does nothing unless the crash-writer variables are set.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => Prxy.Typed.Tests.Blob.CrashWriter.RunIfRequested();
}
