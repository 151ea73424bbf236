using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Server.History;

/// <summary>
/// The last <see cref="TelemetryOptions.HistoryWindow"/> of every site's figures, one sample per reading of the Site grains
/// (<see cref="FleetSnapshotCollector"/>), so a dashboard opened now can draw the trends that led here. It lives in this
/// silo's memory: every silo reads the same grains and keeps its own copy, and a restarted silo starts a new one. At
/// the default 10 s interval a site costs 90 samples; 1,000 sites about 7 MB.
/// </summary>
public sealed class SiteHistory(IOptions<TelemetryOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<SiteSample>> _sites = new(StringComparer.Ordinal);

    /// <summary>How far back samples are kept.</summary>
    public TimeSpan Window => options.Value.HistoryWindow;

    /// <summary>Adds one reading of <paramref name="sites"/> taken at <paramref name="at"/> and forgets samples older than the window.</summary>
    public void Record(DateTimeOffset at, IReadOnlyList<SiteView> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var oldest = at - Window;
        lock (_gate)
        {
            foreach (var site in sites)
            {
                if (!_sites.TryGetValue(site.SiteId, out var samples))
                {
                    _sites[site.SiteId] = samples = new Queue<SiteSample>();
                }

                samples.Enqueue(new SiteSample(at, site.Nodes, site.Ready, site.Trusted, site.Stale, site.Untrusted, site.GpuUtilization, site.PowerWatts, site.TokensPerSecond));
            }

            foreach (var samples in _sites.Values)
            {
                while (samples.TryPeek(out var first) && first.At < oldest)
                {
                    samples.Dequeue();
                }
            }
        }
    }

    /// <summary>Every site's samples taken after <paramref name="since"/>, oldest first, sites by id.</summary>
    public IReadOnlyList<SiteTrend> Read(DateTimeOffset since)
    {
        lock (_gate)
        {
            return _sites.Where(s => s.Value.Count > 0).OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new SiteTrend(s.Key, s.Value.Where(sample => sample.At > since).ToArray()))
                .ToArray();
        }
    }
}
