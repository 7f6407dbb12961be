using System.Text.Json;
using System.Text.Json.Nodes;

namespace RnnLab.TestSupport.Browser;

/// <summary>
/// One tab of <see cref="HeadlessChromium"/>. Collects everything the page reports as an error:
/// <c>console.error</c>/<c>console.assert</c> calls, uncaught exceptions and browser log entries
/// of level "error" (failed resource loads, CSP violations, …).
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly CdpConnection _cdp;
    private readonly string _session;
    private readonly string _targetId;
    private readonly List<string> _errors = [];

    internal BrowserPage(CdpConnection cdp, string session, string targetId)
    {
        _cdp = cdp;
        _session = session;
        _targetId = targetId;
        _cdp.EventReceived += OnEvent;
    }

    /// <summary>Error messages seen so far (console errors, exceptions, error log entries).</summary>
    public IReadOnlyList<string> Errors { get { lock (_errors) return _errors.ToList(); } }

    public Task<JsonNode> SendAsync(string method, JsonObject? parameters = null, TimeSpan? timeout = null) =>
        _cdp.SendAsync(method, parameters, _session, timeout ?? HeadlessChromium.DefaultTimeout);

    /// <summary>
    /// Evaluates a JavaScript expression in the page and returns its value (JSON-serialisable
    /// values only). Promises are awaited. A thrown exception becomes an <see cref="InvalidOperationException"/>.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string expression, TimeSpan? timeout = null)
    {
        JsonNode result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        }, timeout);
        if (result["exceptionDetails"] is JsonNode ex)
            throw new InvalidOperationException($"JavaScript threw while evaluating `{expression}`: {Describe(ex)}");
        JsonNode? value = result["result"]?["value"];
        return value is null ? default : JsonDocument.Parse(value.ToJsonString()).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="condition"/> (a JS expression) until it is truthy; throws on timeout.</summary>
    public async Task WaitUntilAsync(string condition, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? HeadlessChromium.DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            JsonElement ok = await EvaluateAsync($"!!({condition})", limit);
            if (ok.ValueKind == JsonValueKind.True) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"`{condition}` was still false after {limit.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>A real left click at viewport coordinates (CSS pixels), as a user's mouse would do it.</summary>
    public async Task ClickAsync(double x, double y, TimeSpan? timeout = null)
    {
        await MouseAsync("mouseMoved", x, y, timeout);
        await MouseAsync("mousePressed", x, y, timeout);
        await MouseAsync("mouseReleased", x, y, timeout);
    }

    /// <summary>Moves the mouse to viewport coordinates (triggers :hover and mouseover handlers).</summary>
    public Task HoverAsync(double x, double y, TimeSpan? timeout = null) => MouseAsync("mouseMoved", x, y, timeout);

    /// <summary>Scrolls the first element matching <paramref name="selector"/> into view and returns its viewport rectangle.</summary>
    public async Task<(double X, double Y, double Width, double Height)> ElementRectAsync(string selector, TimeSpan? timeout = null)
    {
        string quoted = JsonSerializer.Serialize(selector);
        JsonElement r = await EvaluateAsync(
            $"(() => {{ const e = document.querySelector({quoted}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); " +
            "const b = e.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height}; })()", timeout);
        if (r.ValueKind != JsonValueKind.Object) throw new InvalidOperationException($"No element matches {selector}.");
        return (r.GetProperty("x").GetDouble(), r.GetProperty("y").GetDouble(), r.GetProperty("w").GetDouble(), r.GetProperty("h").GetDouble());
    }

    private Task<JsonNode> MouseAsync(string type, double x, double y, TimeSpan? timeout) =>
        SendAsync("Input.dispatchMouseEvent", new JsonObject
        {
            ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = type == "mouseMoved" ? "none" : "left",
            ["buttons"] = type == "mousePressed" ? 1 : 0, ["clickCount"] = type == "mouseMoved" ? 0 : 1,
        }, timeout);

    /// <summary>Saves a PNG of the whole page (not just the viewport) and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string path, TimeSpan? timeout = null)
    {
        JsonNode metrics = await SendAsync("Page.getLayoutMetrics", null, timeout);
        JsonNode size = metrics["cssContentSize"] ?? metrics["contentSize"]!;
        double width = size["width"]!.GetValue<double>(), height = size["height"]!.GetValue<double>();
        JsonNode shot = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        }, timeout ?? TimeSpan.FromSeconds(60));
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
        return full;
    }

    public async ValueTask DisposeAsync()
    {
        _cdp.EventReceived -= OnEvent;
        try { await _cdp.SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = _targetId }, null, TimeSpan.FromSeconds(5)); }
        catch (Exception) { /* the browser may already be closing */ }
    }

    private void OnEvent(string method, JsonNode? parameters, string? session)
    {
        if (session != _session || parameters is null) return;
        string? error = method switch
        {
            "Runtime.consoleAPICalled" when parameters["type"]?.GetValue<string>() is "error" or "assert" =>
                "console." + parameters["type"] + ": " + string.Join(" ",
                    parameters["args"]!.AsArray().Select(a => a?["value"]?.ToString() ?? a?["description"]?.ToString() ?? "")),
            "Runtime.exceptionThrown" => "uncaught exception: " + Describe(parameters["exceptionDetails"]!),
            "Log.entryAdded" when parameters["entry"]?["level"]?.GetValue<string>() == "error" =>
                "log: " + parameters["entry"]!["text"] + " " + parameters["entry"]!["url"],
            _ => null,
        };
        if (error is not null) lock (_errors) _errors.Add(error);
    }

    private static string Describe(JsonNode details) =>
        details["exception"]?["description"]?.ToString() ?? details["text"]?.ToString() ?? details.ToJsonString();
}
