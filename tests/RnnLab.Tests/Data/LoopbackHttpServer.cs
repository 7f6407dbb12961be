using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RnnLab.Tests.Data;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests. Each path serves fixed bytes; a path can be
/// set to announce the full Content-Length but hang up halfway (an interrupted transfer).
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, (byte[] Body, int? CutAfter)> _routes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public List<string> Requests { get; } = [];

    public LoopbackHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public void Serve(string path, byte[] body, int? cutAfter = null)
    {
        lock (_routes) _routes["/" + path.TrimStart('/')] = (body, cutAfter);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one) == 0) return;
                head.Append((char)one[0]);
            }
            string path = Uri.UnescapeDataString(head.ToString().Split(' ')[1]);
            lock (Requests) Requests.Add(path);
            (byte[] Body, int? CutAfter) route;
            bool found;
            lock (_routes) found = _routes.TryGetValue(path, out route);
            if (!found)
            {
                await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                return;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {route.Body.Length}\r\nConnection: close\r\n\r\n"));
            int n = route.CutAfter ?? route.Body.Length;
            await stream.WriteAsync(route.Body.AsMemory(0, n));
            await stream.FlushAsync();
            if (route.CutAfter is not null) client.Client.LingerState = new LingerOption(true, 0);   // hang up mid-transfer
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
