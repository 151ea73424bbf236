using BenchmarkDotNet.Running;

// dotnet run -c Release --project tools/FactoryMesh.Bench -- --filter '*Appraisal*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The benchmarks' entry point.</summary>
public partial class Program;
