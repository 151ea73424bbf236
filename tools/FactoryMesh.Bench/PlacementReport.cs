using System.Runtime;
using System.Runtime.InteropServices;

namespace FactoryMesh.Bench;

/// <summary>
/// <c>placement-report [--quick] [--only latency|gap|exact|savings|joint]</c>: the placement solver's figures in one Markdown report, measured with a stopwatch over many
/// calls (BenchmarkDotNet's means hide the tail that p99 is about): latency on 1k/10k/50k-node fleets, the heuristic's gap to
/// the proven optimum, the exact search's cost by pool size, and the savings over a naive scheduler.
/// </summary>
internal static class PlacementReport
{
    public const string Command = "placement-report";

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        bool Wanted(string section) => only is null || only == section;
        var output = Console.Out;
        output.WriteLine("# Placement report");
        output.WriteLine();
        output.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}; " +
            $".NET {Environment.Version}; {(GCSettings.IsServerGC ? "server" : "workstation")} GC; single-threaded solver.");
        output.WriteLine();
        if (Wanted("latency"))
        {
            PlacementLatency.Run(output, quick);
        }

        if (Wanted("gap"))
        {
            HeuristicGap.Run(output, quick ? 200 : 1_500);
        }

        if (Wanted("exact"))
        {
            ExactSearchScaling.Run(output, quick ? 10 : 60);
        }

        if (Wanted("savings"))
        {
            BaselineSavings.Run(output, 10_000);
        }

        if (Wanted("joint"))
        {
            JointPlacementReport.Run(output, 10_000, quick ? 2 : 5, TimeSpan.FromSeconds(2));
        }

        return 0;
    }
}
