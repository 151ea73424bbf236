using FactoryMesh.Server.History;
using FactoryMesh.Server.Live;
using FactoryMesh.Server.Security;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FactoryMesh.Server.Telemetry;

/// <summary>OpenTelemetry for the server: the fleet's meter, Orleans' and ASP.NET Core's, a Prometheus scrape endpoint, OTLP by configuration.</summary>
public static class TelemetryExtensions
{
    /// <summary>Where Prometheus scrapes, on the API's own listener.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Registers the meters, exporters and the snapshot collector.</summary>
    public static WebApplicationBuilder AddFactoryMeshTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.SnapshotInterval >= TimeSpan.FromMilliseconds(100), "FactoryMesh:Telemetry:SnapshotIntervalSeconds must be at least 0.1.")
            .Validate(o => o.HistoryWindow >= TimeSpan.FromMinutes(1) && o.HistoryWindow <= TimeSpan.FromHours(24), "FactoryMesh:Telemetry:HistoryMinutes must be between 1 and 1440.")
            .Validate(o => o.MaxNodeSeries >= 1, "FactoryMesh:Telemetry:MaxNodeSeries must be at least 1.")
            .Validate(o => o.OtlpEndpoint is null || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "FactoryMesh:Telemetry:OtlpEndpoint must be an absolute URI.")
            .ValidateOnStart();
        builder.Services.AddSingleton(FleetMetrics.Shared);
        builder.Services.AddSingleton<SiteHistory>();
        builder.Services.AddHostedService<FleetSnapshotCollector>();
        var otlp = builder.Configuration[$"{TelemetryOptions.Section}:OtlpEndpoint"];
        var orleansMeters = builder.Configuration.GetValue<bool>($"{TelemetryOptions.Section}:OrleansMeters");
        var nodeMetrics = builder.Configuration.GetValue<bool>($"{TelemetryOptions.Section}:NodeMetrics");
        var maxNodeSeries = builder.Configuration.GetValue($"{TelemetryOptions.Section}:MaxNodeSeries", new TelemetryOptions().MaxNodeSeries);
        var telemetry = builder.Services.AddOpenTelemetry();
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(LiveMetrics.MeterName).AddAspNetCoreInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            if (orleansMeters)
            {
                metrics.AddMeter("Microsoft.Orleans");
            }

            // One series per node, and one more for the overflow beyond the limit.
            if (nodeMetrics)
            {
                foreach (var instrument in FleetMetrics.NodeInstruments)
                {
                    metrics.AddView(instrument, new MetricStreamConfiguration { CardinalityLimit = maxNodeSeries + 1 });
                }
            }

            if (otlp is not null)
            {
                metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            }
        });
        if (otlp is not null)
        {
            // Orleans' grain calls and ASP.NET Core's requests as traces, only where a collector takes them.
            telemetry.WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }

        return builder;
    }

    /// <summary>Maps <see cref="MetricsPath"/> for operators.</summary>
    public static IEndpointRouteBuilder MapFactoryMeshMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Policies.MetricsReader);
        return app;
    }
}
