using System.Globalization;

namespace FactoryMesh.LoadGen;

/// <summary>What to run: the fleet's size, how long each phase lasts, how often, and against which storage.</summary>
internal sealed record LoadGenOptions
{
    public int Sites { get; init; } = 20;

    public int NodesPerSite { get; init; } = 5000;

    public int Runs { get; init; } = 3;

    public int SteadySeconds { get; init; } = 300;

    public int BaselineSeconds { get; init; } = 10;

    public int HeartbeatIntervalSeconds { get; init; } = 5;

    /// <summary>The steady phase's offered load: every node heartbeats often enough that the fleet sends this many a second.</summary>
    public int SteadyRate { get; init; } = 50_000;

    public int GraceSeconds { get; init; } = 30;

    public string Storage { get; init; } = "Sqlite";

    public string? ConnectionString { get; init; }

    public string? ReportPath { get; init; }

    /// <summary>Environment variables for the server process only (<c>--server-env DOTNET_gcServer=0</c>), to compare runtime settings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServerEnvironment { get; init; } = [];

    public bool Quick { get; init; }

    /// <summary>Instead of the phases: heartbeat capacity of one silo against <see cref="Silos"/> silos of one cluster, side by side per run.</summary>
    public bool ScaleOut { get; init; }

    public int Silos { get; init; } = 3;

    /// <summary>Instead of the phases: what per-node metrics cost a scrape and a snapshot, against the same server without them, per run.</summary>
    public bool Scrape { get; init; }

    public int TotalNodes => Sites * NodesPerSite;

    public const string Usage = """
        usage: loadgen [--quick] [--sites N] [--nodes-per-site N] [--runs N] [--steady-seconds S] [--baseline-seconds S]
                       [--steady-rate HEARTBEATS_PER_S] [--interval S] [--grace S] [--storage Sqlite|PostgreSql --connection-string CS] [--report file.json]
                       [--server-env NAME=VALUE ...] [--scale-out [--silos N]] [--scrape]
        Starts the server (FactoryMesh.Server.dll beside this program) on a fresh data folder per run and measures
        registration, heartbeat capacity (as fast as answered) and steady heartbeats at an offered rate, each against a
        do-nothing baseline endpoint of the same server, a recovery storm, a restart, and the server's resident memory. --quick: 2 sites x 2000 nodes, short phases, one run.
        --scrape: per run, /metrics scrape time and size and server CPU per snapshot with per-node metrics on and off.
        --scale-out (PostgreSQL): per run, heartbeat capacity and server CPU per heartbeat of 1 silo and of --silos silos (default 3) in one cluster, the sites' agents spread over the silos.
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with one line to print.</summary>
    public static LoadGenOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--quick")
            ? new LoadGenOptions { Quick = true, Sites = 2, NodesPerSite = 2000, Runs = 1, SteadySeconds = 12, BaselineSeconds = 2, HeartbeatIntervalSeconds = 1, GraceSeconds = 5, SteadyRate = 8000 }
            : new LoadGenOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--quick" or "--scale-out" or "--scrape")
            {
                options = name switch { "--scale-out" => options with { ScaleOut = true }, "--scrape" => options with { Scrape = true }, _ => options };
                continue;
            }

            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--sites" => options with { Sites = Positive(name, value) },
                "--silos" => options with { Silos = Positive(name, value) },
                "--nodes-per-site" => options with { NodesPerSite = Positive(name, value) },
                "--runs" => options with { Runs = Positive(name, value) },
                "--steady-seconds" => options with { SteadySeconds = Positive(name, value) },
                "--baseline-seconds" => options with { BaselineSeconds = Positive(name, value) },
                "--steady-rate" => options with { SteadyRate = Positive(name, value) },
                "--interval" => options with { HeartbeatIntervalSeconds = Positive(name, value) },
                "--grace" => options with { GraceSeconds = Positive(name, value) },
                "--storage" => options with { Storage = value is "Sqlite" or "PostgreSql" ? value : throw new ArgumentException("--storage must be Sqlite or PostgreSql.") },
                "--connection-string" => options with { ConnectionString = value },
                "--report" => options with { ReportPath = value },
                "--server-env" => options with { ServerEnvironment = [.. options.ServerEnvironment, EnvironmentVariable(value)] },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.ScaleOut && options.Storage != "PostgreSql")
        {
            throw new ArgumentException("--scale-out runs a cluster: it needs --storage PostgreSql --connection-string CS.");
        }

        if (options.Storage == "PostgreSql" && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("--storage PostgreSql needs --connection-string.");
        }

        // A phase without real heartbeats must end before the fleet would turn Suspect, or the baseline would be
        // measured during a mass transition instead of beside a steady fleet.
        if (options.BaselineSeconds >= 3 * options.HeartbeatIntervalSeconds)
        {
            throw new ArgumentException("--baseline-seconds must be shorter than 3 x --interval (the silence after which nodes turn Suspect).");
        }

        if (options.GraceSeconds <= 3 * options.HeartbeatIntervalSeconds)
        {
            throw new ArgumentException("--grace must be longer than 3 x --interval, as the server requires.");
        }

        return options;
    }

    private static KeyValuePair<string, string> EnvironmentVariable(string value) =>
        value.IndexOf('=', StringComparison.Ordinal) is > 0 and var at
            ? KeyValuePair.Create(value[..at], value[(at + 1)..])
            : throw new ArgumentException($"--server-env takes NAME=VALUE, not '{value}'.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");
}
