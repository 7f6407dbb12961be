using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RnnLab.TestSupport.Browser;

/// <summary>
/// A real headless Chromium (Debian's <c>/usr/bin/chromium</c>) driven over the Chrome DevTools
/// Protocol with nothing but <see cref="ClientWebSocket"/>. Used by every test that must see a
/// page the way a person's browser does: charts, the tour report, notebook output.
/// <code>
/// await using var browser = await HeadlessChromium.LaunchAsync();
/// await using var page = await browser.OpenAsync("/tmp/report.html");
/// var n = await page.EvaluateAsync("document.querySelectorAll('.main-svg').length");
/// await page.ScreenshotAsync("report.png");
/// Assert.Empty(page.Errors);
/// </code>
/// Every wait has a timeout, and disposing always kills the browser process tree and deletes
/// its temporary profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Chromium's path: <c>RNNLAB_CHROMIUM</c> if set, else the Debian package's.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("RNNLAB_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>How long any single wait may take. Generous: a shared CI machine under heavy load is slow, and a timeout is a hang guard, not a speed test.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _profileDir;
    private readonly CdpConnection _cdp;

    private HeadlessChromium(Process process, string profileDir, CdpConnection cdp)
    {
        _process = process;
        _profileDir = profileDir;
        _cdp = cdp;
    }

    /// <summary>Starts Chromium with a fresh profile and connects to its DevTools endpoint.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"Chromium not found at {ExecutablePath}. Install it with `apt-get install -y chromium` " +
                "(.ci/run does this) or set RNNLAB_CHROMIUM to a Chromium/Chrome binary.");

        string profile = Path.Combine(Path.GetTempPath(), "rnnlab-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
            "--disable-quic", "--mute-audio", "--hide-scrollbars", "--window-size=1280,900",
            "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank",
        }) start.ArgumentList.Add(arg);

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + ExecutablePath);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        try
        {
            // Chromium writes "<port>\n<browser ws path>" here once it listens.
            string portFile = Path.Combine(profile, "DevToolsActivePort");
            var clock = Stopwatch.StartNew();
            string[] lines = [];
            while (lines.Length < 2)
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before DevTools was ready:\n{stderr}");
                if (clock.Elapsed > limit)
                    throw new TimeoutException($"Chromium did not write DevToolsActivePort within {limit.TotalSeconds} s:\n{stderr}");
                await Task.Delay(50);
                if (File.Exists(portFile))
                {
                    try { lines = (await File.ReadAllTextAsync(portFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries); }
                    catch (IOException) { /* still being written */ }
                }
            }
            var endpoint = new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}");
            var cdp = await CdpConnection.ConnectAsync(endpoint, limit);
            return new HeadlessChromium(process, profile, cdp);
        }
        catch
        {
            Kill(process, profile);
            throw;
        }
    }

    /// <summary>
    /// Opens a new tab, enables console/exception/log collection, navigates to <paramref name="pathOrUrl"/>
    /// (a file path becomes a file:// URL) and waits for the load event.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(string pathOrUrl, TimeSpan? timeout = null, int width = 1280, int height = 900)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        string url = pathOrUrl.Contains("://") ? pathOrUrl : new Uri(Path.GetFullPath(pathOrUrl)).AbsoluteUri;
        JsonNode created = await _cdp.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, limit);
        string targetId = created["targetId"]!.GetValue<string>();
        JsonNode attached = await _cdp.SendAsync("Target.attachToTarget",
            new JsonObject { ["targetId"] = targetId, ["flatten"] = true }, null, limit);
        string session = attached["sessionId"]!.GetValue<string>();

        var page = new BrowserPage(_cdp, session, targetId);
        await page.SendAsync("Runtime.enable", null, limit);
        await page.SendAsync("Log.enable", null, limit);
        await page.SendAsync("Page.enable", null, limit);
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        }, limit);
        Task loaded = _cdp.WaitForEventAsync("Page.loadEventFired", session, limit);
        JsonNode nav = await page.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, limit);
        if (nav["errorText"] is JsonNode err)
            throw new InvalidOperationException($"Navigation to {url} failed: {err}");
        await loaded;
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _cdp.SendAsync("Browser.close", null, null, TimeSpan.FromSeconds(3));
        }
        catch (Exception) { /* the process is killed below either way */ }
        await _cdp.DisposeAsync();
        Kill(_process, _profileDir);
    }

    private static void Kill(Process process, string profile)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { /* already gone */ }
        process.Dispose();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try { if (Directory.Exists(profile)) Directory.Delete(profile, recursive: true); break; }
            catch (IOException) { Thread.Sleep(100); }
            catch (UnauthorizedAccessException) { Thread.Sleep(100); }
        }
    }
}
