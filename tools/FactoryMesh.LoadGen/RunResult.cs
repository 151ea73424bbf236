namespace FactoryMesh.LoadGen;

/// <summary>The figures of one run: each phase's throughput and latency, the storm, the restart, the memory.</summary>
internal sealed record RunResult
{
    public double RegistrationSeconds { get; init; }

    public double RegistrationNodesPerSecond { get; init; }

    public double RegistrationP99Ms { get; init; }

    public int RegistrationErrors { get; init; }

    /// <summary>Heartbeats/s the baseline endpoint took with every agent sending as fast as answered.</summary>
    public double BaselineMaxHeartbeatsPerSecond { get; init; }

    /// <summary>Heartbeats/s the real endpoint took the same way: the server's capacity.</summary>
    public double MaxHeartbeatsPerSecond { get; init; }

    public double MaxP99Ms { get; init; }

    /// <summary>The steady phase's offered load, heartbeats/s.</summary>
    public double SteadyOfferedPerSecond { get; init; }

    public double BaselineP50Ms { get; init; }

    /// <summary>p99 of the baseline endpoint at the steady phase's offered load.</summary>
    public double BaselineP99Ms { get; init; }

    public double SteadyHeartbeatsPerSecond { get; init; }

    public double SteadyP50Ms { get; init; }

    public double SteadyP99Ms { get; init; }

    public int SteadyErrors { get; init; }

    public IReadOnlyList<double> SteadyWindows { get; init; } = [];

    /// <summary>The last 10 s window's throughput over the first's.</summary>
    public double SteadyLastOverFirst => SteadyWindows.Count > 1 && SteadyWindows[0] > 0 ? SteadyWindows[^1] / SteadyWindows[0] : double.NaN;

    public double StormSecondsToAllReady { get; init; }

    public double StormSecondsAfterFirstRound { get; init; }

    public double StormMaxRequestMs { get; init; }

    public double StormP99Ms { get; init; }

    public int StormErrors { get; init; }

    public double RestartSecondsToListed { get; init; }

    public long ResidentBytesIdle { get; init; }

    public long ResidentBytesLoaded { get; init; }

    public double BytesPerNode { get; init; }
}
