// RnnLab setup: run this cell first.
// Build the libraries once before opening the lessons (from the repository root): dotnet build -c Release
// After rebuilding, restart the kernel (Restart in the notebook toolbar): it keeps the DLLs it loaded.
#r "nuget: Plotly.NET.Interactive, 6.0.0"
#r "nuget: Plotly.NET.CSharp, 0.14.0"
#r "../src/RnnLab.Interactive/bin/Release/net10.0/RnnLab.dll"
#r "../src/RnnLab.Interactive/bin/Release/net10.0/RnnLab.Plots.dll"
#r "../src/RnnLab.Interactive/bin/Release/net10.0/RnnLab.Interactive.dll"
RnnLab.Interactive.Notebook.Setup()
