using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using FactoryMesh.SimulatedTee;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using FactoryMesh.ServerHost;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// The real server (silo, SQLite file, JWT security, API) hosted in the test process on a data folder of
/// its own, on ports of its own.
/// </summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    private readonly TimeProvider? _clock;
    private readonly bool _ownsDataDirectory;
    private readonly string _clusterId;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>
    /// A server on a new data folder, deleted on dispose; or on <paramref name="dataDirectory"/> (kept, so a second
    /// server on it is a restart of the first, under <paramref name="clusterId"/>); on <paramref name="clock"/> when given,
    /// with <paramref name="settings"/> added to its configuration.
    /// </summary>
    public ServerFactory(string? dataDirectory = null, TimeProvider? clock = null, string? clusterId = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), $"factorymesh-server-{Guid.NewGuid():N}");
        _clock = clock;
        _clusterId = clusterId ?? $"test-{Guid.NewGuid():N}";
    }

    /// <summary>The data folder: SQLite file, signing key, operator token.</summary>
    public string DataDirectory { get; }

    /// <summary>The Orleans silo-to-silo port.</summary>
    public int SiloPort { get; } = FreePort.Next();

    /// <summary>The Orleans cluster and service id; a restart on the same data folder must keep it.</summary>
    public string ClusterId => _clusterId;

    /// <summary>The simulated vendor whose root the server trusts for <c>sim-jws</c> evidence.</summary>
    public SimulatedVendorCa Vendor { get; } = SimulatedVendorCa.Create("Server Tests Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Directory.CreateDirectory(DataDirectory);
        var rootPath = Path.Combine(DataDirectory, "vendor-root.pem");
        File.WriteAllText(rootPath, Vendor.RootCertificatePem);
        var referenceValuesPath = Path.Combine(DataDirectory, "reference-values.json");
        File.WriteAllText(referenceValuesPath, SimulatedFleet.ReferenceValuesJson);
        builder.UseSetting("FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0", rootPath);
        builder.UseSetting("FactoryMesh:Attestation:ReferenceValuesPath", referenceValuesPath);
        builder.UseSetting("FactoryMesh:DataDirectory", DataDirectory);
        builder.UseSetting("FactoryMesh:Silo:Port", SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("FactoryMesh:ClusterId", _clusterId);
        // The per-site gauges refresh quickly, so a test sees a site's counts within a second rather than ten.
        builder.UseSetting("FactoryMesh:Telemetry:SnapshotIntervalSeconds", "0.5");
        builder.UseSetting("FactoryMesh:Telemetry:NodeMetrics", "true");
        builder.UseSetting("FactoryMesh:Telemetry:MaxNodeSeries", "5000"); // room for the tests' nodes, not a factory's

        // Every test issues its tokens with the one bootstrap operator token, far faster than an operator would: its
        // token bucket is widened here; RequestLimitsTests measures the default limits with tokens of its own.
        builder.UseSetting($"FactoryMesh:RateLimits:{Hosting.RateLimits.Tokens}:PermitsPerSecond", "1000");
        builder.UseSetting($"FactoryMesh:RateLimits:{Hosting.RateLimits.Tokens}:Burst", "1000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_clock is { } clock)
        {
            builder.ConfigureServices(services => services.AddSingleton(clock));
        }

        // A graceful stop deactivates every grain and commits what they hold: with 10,000 nodes on a loaded 2-core CI
        // machine that can outlast the host's default 30 s, and a cut-short stop is a restart test that tests nothing.
        builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(3)));
    }

    /// <summary>The operator token the server wrote on start.</summary>
    public string OperatorToken => File.ReadAllText(Path.Combine(DataDirectory, "operator.token")).Trim();

    /// <summary>A client carrying <paramref name="token"/>, or no token when null.</summary>
    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A client acting as the bootstrap operator.</summary>
    public HttpClient Operator() => ClientWith(OperatorToken);

    /// <summary>A client with a token of <paramref name="role"/> issued through the API.</summary>
    public async Task<HttpClient> ClientInRoleAsync(string role, string? site = null, string? tenant = null)
    {
        using var op = Operator();
        var response = await op.PostAsJsonAsync("/api/v1/tokens", new { role, site, tenant });
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<IssuedTokenBody>();
        return ClientWith(issued!.Token);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Vendor.Dispose();
        if (_ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private sealed record IssuedTokenBody(string Token);
}
