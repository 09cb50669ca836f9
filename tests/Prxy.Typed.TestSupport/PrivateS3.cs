using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Prxy.Typed.Testing;

/// <summary>
/// A private S3 server (the s3rver binary from <c>PRXY_TEST_S3RVER</c>) on a free loopback port with one bucket, for
/// tests that kill or stop it. It never touches the shared test server. Dispose kills it and deletes its data.
/// </summary>
public sealed partial class PrivateS3 : IAsyncDisposable
{
    /// <summary>The credentials s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private PrivateS3(Process process, string directory, string endpoint, string bucket)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
        Bucket = bucket;
    }

    /// <summary>Service URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The bucket created at start.</summary>
    public string Bucket { get; }

    /// <summary>The server's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Options for an <see cref="S3BlobStore"/> on this server.</summary>
    public S3BlobOptions Options => new()
    {
        ServiceUrl = Endpoint,
        Bucket = Bucket,
        ForcePathStyle = true,
        AccessKeyId = AccessKey,
        SecretAccessKey = AccessKey,
    };

    /// <summary>Starts the server (skips locally / fails under CI when <c>PRXY_TEST_S3RVER</c> is not set).</summary>
    public static async Task<PrivateS3> StartAsync(string bucket = "private-bucket")
    {
        var binary = TestServices.Require("PRXY_TEST_S3RVER", "s3rver binary");
        var directory = Directory.CreateTempSubdirectory("prxy-private-s3-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The server encrypts list continuation tokens with DES, which Node 17+ only offers through the legacy provider;
        // without it every listing past 1,000 keys fails with an internal error.
        start.Environment["NODE_OPTIONS"] = (Environment.GetEnvironmentVariable("NODE_OPTIONS") + " --openssl-legacy-provider").Trim();

        // Port 0: the server picks a free port and prints it, so parallel tests never race for one.
        foreach (var argument in new[] { "-d", directory, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", bucket })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{binary}'.");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        if (ready != listening.Task)
        {
            KillQuietly(process);
            throw new InvalidOperationException($"The private S3 server '{binary}' did not start listening: {string.Join(" | ", output)}");
        }

        return new PrivateS3(process, directory, $"http://127.0.0.1:{await listening.Task.ConfigureAwait(false)}", bucket);
    }

    /// <summary>Kills the server with SIGKILL and waits until it is gone.</summary>
    public void Kill()
    {
        KillQuietly(_process);
        _process.WaitForExit(10_000);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(); // SIGKILL on Unix: the server vanishes mid-request, like a crash
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"listening on [^\s:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
