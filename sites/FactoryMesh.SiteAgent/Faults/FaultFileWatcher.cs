using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Faults;

/// <summary>
/// The agent's control surface for fault injection: the fault file (<c>&lt;data&gt;/faults.json</c> unless
/// configured), read twice a second. A file is the simplest surface that works the same for a person in a shell, a
/// demo script and a test, across processes, with no port to open or secure: write it to inject faults, empty or
/// delete it to lift them. A file that does not parse is reported and the faults in force stay as they were.
/// Polling rather than a file-system watcher, since watchers miss renames and changes on some file systems.
/// </summary>
internal sealed class FaultFileWatcher(FaultState state, IOptions<AgentOptions> options, TimeProvider time, ILogger<FaultFileWatcher> logger) : BackgroundService
{
    /// <summary>How often the file is read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private string? _lastText;

    /// <summary>Reads the file once now, so faults in force at start apply from the first heartbeat.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Refresh();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Refresh();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Refresh()
    {
        var path = options.Value.FaultFileFullPath;
        string text;
        try
        {
            text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        catch (IOException)
        {
            return; // being written: read it on the next tick
        }

        if (text == _lastText)
        {
            return;
        }

        var first = _lastText is null;
        _lastText = text;
        try
        {
            var faults = FaultFileParser.Parse(text);
            state.Set(faults);
            if (!(first && faults.IsEmpty))
            {
                logger.FaultsChanged(path, faults.ToString());
            }
        }
        catch (FormatException exception)
        {
            logger.FaultFileInvalid(path, exception.Message);
        }
    }
}
