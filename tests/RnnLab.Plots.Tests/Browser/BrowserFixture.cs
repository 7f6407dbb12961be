using RnnLab.TestSupport.Browser;

namespace RnnLab.Plots.Tests.Browser;

/// <summary>One Chromium for all browser tests in this project (they run one after another).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public HeadlessChromium Browser { get; private set; } = null!;

    /// <summary>Screenshots go here, beside the test assembly, for a person to look at.</summary>
    public static string ScreenshotDir => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The pages the tests open, kept beside the screenshots so a person can open them too.</summary>
    public static string PagePath(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "pages");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".html");
    }

    public async Task InitializeAsync() => Browser = await HeadlessChromium.LaunchAsync();

    public async Task DisposeAsync() => await Browser.DisposeAsync();
}

[CollectionDefinition("Browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;
