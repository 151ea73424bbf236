namespace FactoryMesh.LoadGen;

/// <summary>
/// The load generator: runs the server as its own process and drives it over loopback as site agents do. An explicit
/// entry class, not top-level statements, so its <c>Program</c> does not collide with the server's in test projects
/// that reference both.
/// </summary>
internal static class LoadGenProgram
{
    public static async Task<int> Main(string[] args)
    {
        LoadGenOptions options;
        try
        {
            options = LoadGenOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine($"loadgen: {exception.Message}");
            Console.Error.WriteLine(LoadGenOptions.Usage);
            return 2;
        }

        if (options.ScaleOut)
        {
            return await ScaleOutAsync(options);
        }

        if (options.Scrape)
        {
            return await ScrapeAsync(options);
        }

        var runs = new List<RunResult>();
        try
        {
            for (var run = 1; run <= options.Runs; run++)
            {
                Console.WriteLine($"run {run} of {options.Runs}: {options.Sites} sites x {options.NodesPerSite} nodes on {options.Storage}");
                runs.Add(await new LoadRun(options, Console.Out).ExecuteAsync());
            }
        }
        catch (TimeoutException exception)
        {
            Console.Error.WriteLine($"loadgen: {exception.Message}");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine(LoadReport.Markdown(options, runs));
        if (options.ReportPath is { } path)
        {
            await File.WriteAllTextAsync(path, LoadReport.Json(options, runs));
        }

        // A run that lost registrations or heartbeats is a failed run, whatever its speed.
        var errors = runs.Sum(r => r.RegistrationErrors + r.SteadyErrors + r.StormErrors);
        if (errors > 0)
        {
            Console.Error.WriteLine($"loadgen: {errors} requests or registrations failed");
            return 1;
        }

        return 0;
    }

    private static async Task<int> ScrapeAsync(LoadGenOptions options)
    {
        var runs = await EachRunAsync(options, $"per-node metrics off and on, {options.Sites} sites x {options.NodesPerSite} nodes", run => new ScrapeRun(options, Console.Out).ExecuteAsync(run));
        Console.WriteLine(ScrapeReport.Markdown(options, runs));
        return Failed(runs.SelectMany(r => r).Sum(r => r.Errors));
    }

    private static async Task<int> ScaleOutAsync(LoadGenOptions options)
    {
        var runs = await EachRunAsync(options, $"1 silo and {options.Silos} silos, {options.Sites} sites x {options.NodesPerSite} nodes", run => new ScaleOutRun(options, Console.Out).ExecuteAsync(run));
        Console.WriteLine(ScaleOutReport.Markdown(options, runs));
        return Failed(runs.SelectMany(r => r).Sum(r => r.Errors));
    }

    // The side-by-side modes: each run measures every configuration, and the report compares them run by run.
    private static async Task<List<T>> EachRunAsync<T>(LoadGenOptions options, string what, Func<int, Task<T>> measure)
    {
        var runs = new List<T>();
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"run {run} of {options.Runs}: {what}");
            runs.Add(await measure(run));
        }

        Console.WriteLine();
        return runs;
    }

    // A run that lost registrations or heartbeats is a failed run, whatever its figures.
    private static int Failed(int errors)
    {
        if (errors > 0)
        {
            Console.Error.WriteLine($"loadgen: {errors} requests or registrations failed");
            return 1;
        }

        return 0;
    }
}
