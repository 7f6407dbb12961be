using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RnnLab.TestSupport.Browser;

/// <summary>
/// The Chrome DevTools Protocol over one WebSocket: JSON commands <c>{id, method, params, sessionId}</c>
/// answered by <c>{id, result | error}</c>, plus events <c>{method, params, sessionId}</c>. Pages are
/// reached through "flat" sessions (<c>Target.attachToTarget</c> with <c>flatten: true</c>) on the
/// browser's own socket, so one connection serves every tab.
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _receiveLoop;
    private int _nextId;

    /// <summary>Raised for every event: method, params, sessionId (null for browser-level events).</summary>
    public event Action<string, JsonNode?, string?>? EventReceived;

    private CdpConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<CdpConnection> ConnectAsync(Uri endpoint, TimeSpan timeout)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var cts = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(endpoint, cts.Token);
        return new CdpConnection(socket);
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters, string? sessionId, TimeSpan timeout)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null) message["sessionId"] = sessionId;
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        using var cts = new CancellationTokenSource(timeout);
        await _sendLock.WaitAsync(cts.Token);
        try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cts.Token); }
        finally { _sendLock.Release(); }

        Task done = await Task.WhenAny(reply.Task, Task.Delay(timeout));
        _pending.TryRemove(id, out _);
        if (done != reply.Task) throw new TimeoutException($"CDP {method} got no answer within {timeout.TotalSeconds} s.");
        return await reply.Task;
    }

    /// <summary>Completes when an event named <paramref name="method"/> arrives for <paramref name="sessionId"/>. Subscribe before triggering it.</summary>
    public Task WaitForEventAsync(string method, string? sessionId, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(string m, JsonNode? p, string? s) { if (m == method && s == sessionId) seen.TrySetResult(); }
        EventReceived += Handler;
        return WaitAsync();

        async Task WaitAsync()
        {
            try
            {
                Task done = await Task.WhenAny(seen.Task, Task.Delay(timeout));
                if (done != seen.Task) throw new TimeoutException($"CDP event {method} did not arrive within {timeout.TotalSeconds} s.");
            }
            finally { EventReceived -= Handler; }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                JsonNode? json = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
                if (json is null) continue;
                Dispatch(json);
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        foreach (var waiting in _pending.Values)
            waiting.TrySetException(new InvalidOperationException("The DevTools connection closed."));
    }

    private void Dispatch(JsonNode json)
    {
        if (json["id"] is JsonNode idNode)
        {
            if (_pending.TryGetValue(idNode.GetValue<int>(), out var reply))
            {
                if (json["error"] is JsonNode error)
                    reply.TrySetException(new InvalidOperationException($"CDP error: {error.ToJsonString()}"));
                else
                    reply.TrySetResult(json["result"] ?? new JsonObject());
            }
            return;
        }
        string? method = json["method"]?.GetValue<string>();
        if (method is null) return;
        EventReceived?.Invoke(method, json["params"], json["sessionId"]?.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception) { /* closing anyway */ }
        try { await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
