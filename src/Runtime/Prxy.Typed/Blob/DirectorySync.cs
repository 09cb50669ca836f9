using System.Runtime.InteropServices;
using System.Text;

namespace Prxy.Typed;

/// <summary>
/// Flushes a directory's entries to disk after a rename, so a power loss cannot bring back the old file or lose the
/// new name. .NET cannot open a directory as a stream, hence the three libc calls. Windows journals the rename itself.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the directory '{directory}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"Could not flush the directory '{directory}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole runtime assembly.
    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054
}
