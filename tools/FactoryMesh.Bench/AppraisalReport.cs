using System.Diagnostics;
using System.Globalization;

namespace FactoryMesh.Bench;

/// <summary>
/// <c>appraisal-report [--quick]</c>: the latency of one appraisal per evidence format, each call timed on its own,
/// median and p99 over several runs, each run's figures as a ratio to the bare ECDSA P-384 verify measured in that
/// same run (the <see cref="AppraisalBenchmarks"/> cases, so the BenchmarkDotNet class and this report time the same
/// code). Every timed call's verdict is checked, so a case that stopped passing stops the report.
/// </summary>
public static class AppraisalReport
{
    /// <summary>The command name.</summary>
    public const string Command = "appraisal-report";

    /// <summary>Runs the report; the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var (runs, calls) = quick ? (2, 200) : (3, 2_000);
        var bench = new AppraisalBenchmarks();
        bench.Setup();
        try
        {
            (string Name, Func<Task> Call)[] cases =
            [
                ("ECDSA P-384 verify (baseline)", () => Task.FromResult(bench.BareSignatureCheck())),
                ("sim-jws, 8 GPUs, chain cached", bench.SimulatedWarm),
                ("eat-jwt (ES384)", bench.ExternalVerifierToken),
                ("nvidia-eat, 8 GPUs (9 ES384 JWTs)", bench.NvidiaBundle),
                ("ear-jwt, CPU + 8 GPUs (ES384)", bench.Ear),
                ("ita-jwt tdx+nvgpu, 8 GPUs (PS384)", bench.ItaComposite),
                ("composite: ita-jwt TDX + nvidia-eat 8 GPUs", bench.TdxAndBundle),
            ];
            var medians = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var p99s = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var ratios = cases.ToDictionary(c => c.Name, _ => new List<double>());
            for (var run = 0; run < runs; run++)
            {
                double baseline = 0;
                foreach (var (name, call) in cases)
                {
                    for (var i = 0; i < calls / 10; i++)
                    {
                        await call().ConfigureAwait(false); // warm-up
                    }

                    var samples = new double[calls];
                    for (var i = 0; i < calls; i++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await call().ConfigureAwait(false);
                        samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    }

                    var percentiles = new Percentiles(samples);
                    baseline = name == cases[0].Name ? percentiles.Median : baseline;
                    medians[name].Add(percentiles.Median);
                    p99s[name].Add(percentiles.P99);
                    ratios[name].Add(percentiles.Median / baseline);
                }
            }

            Console.WriteLine($"{runs} runs x {calls} timed calls per case, one call at a time; {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            Console.WriteLine();
            Console.WriteLine("| case | median µs | p99 µs | median / baseline (per run) |");
            Console.WriteLine("| --- | ---: | ---: | --- |");
            foreach (var (name, _) in cases)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {new Percentiles(medians[name]).Median:0} | {new Percentiles(p99s[name]).Median:0} | {string.Join(" / ", ratios[name].Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))} |"));
            }

            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
