using System.Security.Cryptography;
using System.Text;
using FactoryMesh.SiteAgent.Telemetry;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// A simulated node's load. Utilization is mean-reverting noise (an Ornstein–Uhlenbeck process) around a target
/// that swings over a compressed day, with occasional bursts of requests; power, memory and throughput follow it the
/// way they do on real GPUs: board power from idle to TDP, host power partly fixed, memory mostly model weights plus
/// a KV cache that grows with load. Each node is seeded from its id, so a fleet is reproducible run to run.
/// </summary>
internal sealed class SimulatedLoad : INodeTelemetry
{
    /// <summary>One simulated "day": long enough to look like real load, short enough to watch in a demo.</summary>
    public static readonly TimeSpan LoadCycle = TimeSpan.FromMinutes(15);

    private const double Reversion = 0.08; // per second: how fast utilization is pulled back to its target
    private const double Volatility = 0.035; // per square-root second: how much it wanders
    private const double BurstsPerSecond = 1.0 / 120; // a burst of requests about every two minutes
    private const double MinimumUtilization = 0.02;
    private const double MaximumUtilization = 0.99;

    private readonly Lock _gate = new();
    private readonly GpuModelSpec _model;
    private readonly int _gpuCount;
    private readonly Random _random;
    private readonly double _baseLoad;
    private readonly double _phase;
    private readonly double _weightsFraction;
    private double _utilization;
    private DateTimeOffset? _last;

    /// <summary>Creates the load of a node with <paramref name="gpuCount"/> GPUs of <paramref name="model"/>, seeded by <paramref name="seedText"/>.</summary>
    public SimulatedLoad(GpuModelSpec model, int gpuCount, string seedText)
    {
        _model = model;
        _gpuCount = gpuCount;
#pragma warning disable CA5394 // a simulation's noise, reproducible by seed: no security depends on it
        _random = new Random(StableSeed(seedText));
        _baseLoad = 0.35 + (0.45 * _random.NextDouble());
        _phase = 2 * Math.PI * _random.NextDouble();
        _weightsFraction = 0.45 + (0.25 * _random.NextDouble());
#pragma warning restore CA5394
        _utilization = _baseLoad;
    }

    /// <inheritdoc />
    public Task<TelemetrySample?> SampleAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<TelemetrySample?>(Sample(now));

    /// <summary>The node's measurements at <paramref name="now"/>, moving the load on by the time since the last sample.</summary>
    public TelemetrySample Sample(DateTimeOffset now)
    {
        lock (_gate)
        {
#pragma warning disable CA5394 // see the constructor
            var seconds = _last is { } last ? Math.Clamp((now - last).TotalSeconds, 0, 60) : 1;
            _last = now;
            var cycle = 2 * Math.PI * now.ToUnixTimeMilliseconds() / LoadCycle.TotalMilliseconds;
            var target = Math.Clamp(_baseLoad + (0.2 * Math.Sin(cycle + _phase)), 0.05, 0.97);
            _utilization = target + ((_utilization - target) * Math.Exp(-Reversion * seconds)) + (Volatility * Math.Sqrt(seconds) * Gaussian());
            if (_random.NextDouble() < 1 - Math.Exp(-BurstsPerSecond * seconds))
            {
                _utilization += 0.15 + (0.15 * _random.NextDouble());
            }

            var utilization = _utilization = Math.Clamp(_utilization, MinimumUtilization, MaximumUtilization);
            var power = Math.Min(PowerAt(_model, _gpuCount, utilization) * (1 + (0.01 * Gaussian())), _model.NodePeakWatts(_gpuCount));
            var memory = MemoryAt(_model, _gpuCount, utilization, _weightsFraction);
            var tokens = _gpuCount * _model.TokensPerSecondPerGpu * utilization * (0.97 + (0.06 * _random.NextDouble()));
#pragma warning restore CA5394
            return new TelemetrySample(Math.Round(utilization, 4), Math.Round(memory, 1), Math.Round(power), Math.Round(tokens));
        }
    }

    /// <summary>
    /// A node's power at <paramref name="utilization"/>, watts: each board from idle to TDP (slightly sub-linearly, as
    /// clocks boost at low load), the host a fixed half plus a part that follows the load.
    /// </summary>
    public static double PowerAt(GpuModelSpec model, int gpuCount, double utilization)
    {
        ArgumentNullException.ThrowIfNull(model);
        var board = model.IdleWatts + ((model.PeakWatts - model.IdleWatts) * Math.Pow(Math.Clamp(utilization, 0, 1), 0.9));
        var host = model.HostWattsPerGpu * (0.45 + (0.55 * utilization));
        return gpuCount * (board + host);
    }

    /// <summary>GPU memory in use at <paramref name="utilization"/>, GiB: the weights plus a KV cache that grows with load.</summary>
    public static double MemoryAt(GpuModelSpec model, int gpuCount, double utilization, double weightsFraction)
    {
        ArgumentNullException.ThrowIfNull(model);
        return gpuCount * model.MemoryGiB * Math.Min(0.95, weightsFraction + (0.2 * Math.Clamp(utilization, 0, 1)));
    }

    // Box–Muller: one standard normal draw.
    private double Gaussian()
    {
#pragma warning disable CA5394 // see the constructor
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
#pragma warning restore CA5394
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // string.GetHashCode differs per process; this does not.
    private static int StableSeed(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
