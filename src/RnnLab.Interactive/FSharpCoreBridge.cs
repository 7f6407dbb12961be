using System.Reflection;
using System.Runtime.Loader;

namespace RnnLab.Interactive;

/// <summary>
/// Plotly.NET 6 is compiled against FSharp.Core 10.1, but the notebook kernel ships and has already
/// loaded FSharp.Core 10.0. Without help, the first chart fails with
/// "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". This resolver answers every
/// request for FSharp.Core with the copy already loaded (the APIs Plotly.NET uses exist in both).
/// </summary>
internal static class FSharpCoreBridge
{
    private static int installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    /// <summary>The FSharp.Core the process has loaded, or null when none is (outside a notebook).</summary>
    public static Assembly? LoadedFSharpCore() =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core");

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core" ? LoadedFSharpCore() : null;
}
