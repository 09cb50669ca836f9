using System.Diagnostics;

namespace Prxy.Typed.Tests.Blob;

/// <summary>
/// Runs a <see cref="FileSystemBlobStore"/> put in a separate process that the test then kills with SIGKILL. The
/// child is this very test assembly started with <c>dotnet</c>; the runtime's startup hook
/// (<see cref="global::StartupHook"/>) enters <see cref="RunIfRequested"/> before the (empty) test entry point, so no extra
/// project has to be built.
/// </summary>
internal static class CrashWriter
{
    public const string ReadyLine = "WRITING";

    public const long BytesBeforeReady = 8 * 1024 * 1024;

    private const string RootVariable = "PRXY_BLOB_CRASH_WRITER_ROOT";
    private const string KeyVariable = "PRXY_BLOB_CRASH_WRITER_KEY";

    /// <summary>Starts the child; read <see cref="ReadyLine"/> from its output before killing it.</summary>
    public static Process Start(string root, string key)
    {
        var assembly = typeof(CrashWriter).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[RootVariable] = root;
        start.Environment[KeyVariable] = key;
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{dotnet}'.");
    }

    /// <summary>In the child: overwrite the key from a stream that stalls forever after <see cref="BytesBeforeReady"/> bytes.</summary>
    internal static void RunIfRequested()
    {
        if (Environment.GetEnvironmentVariable(RootVariable) is not { Length: > 0 } root)
        {
            return;
        }

        var store = new FileSystemBlobStore(root);
        store.PutAsync(Environment.GetEnvironmentVariable(KeyVariable)!, new StallingStream()).GetAwaiter().GetResult();
        Environment.Exit(3); // unreachable: the stream never ends, the test kills this process
    }

    /// <summary>Yields <see cref="BytesBeforeReady"/> bytes of 'n', then announces itself and blocks.</summary>
    private sealed class StallingStream : Stream
    {
        private long _produced;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _produced; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_produced >= BytesBeforeReady)
            {
                // Every byte produced so far was written to the temp file before this read was requested.
                Console.Out.WriteLine(ReadyLine);
                Console.Out.Flush();
                Thread.Sleep(Timeout.Infinite);
            }

            var n = (int)Math.Min(count, BytesBeforeReady - _produced);
            Array.Fill(buffer, (byte)'n', offset, n);
            _produced += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
