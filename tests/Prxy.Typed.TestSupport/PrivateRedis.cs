using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Prxy.Typed.Testing;

/// <summary>
/// A redis-server of the test's own (from <c>PRXY_TEST_REDIS_SERVER</c>) on a free loopback port, for
/// fault injection: <see cref="Kill"/> is <c>kill -9</c>, <see cref="Pause"/>/<see cref="Resume"/> are
/// <c>kill -STOP</c>/<c>kill -CONT</c>. Never touches the shared test Redis.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string _serverPath;
    private readonly string? _password;
    private Process? _process;
    private bool _paused;

    private PrivateRedis(string serverPath, int port, string? password)
    {
        _serverPath = serverPath;
        Port = port;
        _password = password;
    }

    /// <summary>The loopback port the server listens on (kept across restarts).</summary>
    public int Port { get; }

    /// <summary>PID of the running server process.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("The private redis-server is not running.");

    /// <summary>Configuration string for a client, with the password when one was set.</summary>
    public string Configuration => $"127.0.0.1:{Port}" + (_password is null ? "" : ",password=" + _password);

    /// <summary>Starts a server and waits until it answers PING; skips (locally) or fails (CI) when no redis-server is configured.</summary>
    public static async Task<PrivateRedis> StartAsync(string? password = null)
    {
        var serverPath = TestServices.Require("PRXY_TEST_REDIS_SERVER", "redis-server binary");
        var redis = new PrivateRedis(serverPath, FreePort(), password);
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>Starts the server again on the same port (after <see cref="Kill"/>) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        var arguments = $"--bind 127.0.0.1 --port {Port} --save \"\" --appendonly no --daemonize no --loglevel warning";
        if (_password is not null)
        {
            arguments += " --requirepass " + _password;
        }

        _process = Process.Start(new ProcessStartInfo(_serverPath, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {_serverPath}.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The private redis-server on port {Port} did not start (exited: {_process.HasExited}).");
            }

            await Task.Delay(20);
        }
    }

    /// <summary><c>kill -9</c>: the server vanishes and its connections drop.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException("The private redis-server is not running.");
        process.Kill();
        process.WaitForExit();
        _process = null;
        _paused = false;
    }

    /// <summary><c>kill -STOP</c>: the server keeps its connections but answers nothing.</summary>
    public void Pause()
    {
        Signal("STOP");
        _paused = true;
    }

    /// <summary><c>kill -CONT</c>: the paused server answers again.</summary>
    public void Resume()
    {
        Signal("CONT");
        _paused = false;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (_paused)
            {
                Resume();
            }

            Kill();
        }

        return ValueTask.CompletedTask;
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {Pid}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Pid} failed with exit code {kill.ExitCode}.");
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            var command = _password is null ? "PING\r\n" : $"AUTH {_password}\r\nPING\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), timeout.Token);
            var buffer = new byte[256];
            var text = new StringBuilder();
            while (!text.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
