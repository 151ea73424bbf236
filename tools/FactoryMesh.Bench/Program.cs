using BenchmarkDotNet.Running;
using FactoryMesh.Bench;

// dotnet run -c Release --project tools/FactoryMesh.Bench -- placement-report [--quick]
// dotnet run -c Release --project tools/FactoryMesh.Bench -- live-report [--quick]
// dotnet run -c Release --project tools/FactoryMesh.Bench -- placement-live [--nodes N]
// dotnet run -c Release --project tools/FactoryMesh.Bench -- appraisal-report [--quick]
// dotnet run -c Release --project tools/FactoryMesh.Bench -- --filter '*Appraisal*'
if (args.Length > 0 && args[0] == PlacementReport.Command)
{
    return PlacementReport.Run(args[1..]);
}

if (args.Length > 0 && args[0] == LiveReport.Command)
{
    return await LiveReport.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == PlacementLiveReport.Command)
{
    return await PlacementLiveReport.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == AppraisalReport.Command)
{
    return await AppraisalReport.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(PlacementReport).Assembly).Run(args);
return 0;
