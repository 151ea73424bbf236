using FactoryMesh.Server.Telemetry;
using System.Text.Json.Serialization;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Server.Api;
using FactoryMesh.Server.Hosting;
using FactoryMesh.Server.Live;
using FactoryMesh.Server.Security;
using FactoryMesh.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;

// The dashboard is served from the content root's wwwroot (the project folder under `dotnet run`), else from the
// copy the build puts beside the binaries, so a server started from anywhere still serves it.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Directory.Exists(Path.Combine(Directory.GetCurrentDirectory(), "wwwroot")) || args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        ? null
        : Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});
var options = new FactoryMeshOptions();
builder.Configuration.GetSection(FactoryMeshOptions.Section).Bind(options);
options.SiloPort = builder.Configuration.GetValue("FactoryMesh:Silo:Port", options.SiloPort);
options.GatewayPort = builder.Configuration.GetValue("FactoryMesh:Silo:GatewayPort", options.GatewayPort);
options.AdvertisedAddress = builder.Configuration["FactoryMesh:Silo:AdvertisedAddress"];
SecretFileModes.EnsureOwnerOnlyDirectory(options.DataDirectoryFullPath);
if (options.Storage == FactoryMesh.Storage.StorageEngine.Sqlite)
{
    SecretFileModes.PrecreateOwnerOnly(options.SqliteDatabasePath); // SQLite gives its journal files the database's mode
}

builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
builder.Services.AddSingleton(TimeProvider.System);

// The silo's settings are checked first (a missing certificate is named before any database is tried); then the
// schema, since the cluster's shared secrets are read from it before the silo starts.
builder.AddFactoryMeshSilo(options);
var connectionString = options.StorageConnectionString(builder.Configuration);
await SchemaInstaller.PrepareAsync(options.Storage, connectionString, options.InstallSchema);
var clusterSecrets = ClusterKeyEncryptionKey.OpenSecrets(builder.Configuration, options.Storage, connectionString, options.ClusterId);
var keys = clusterSecrets is null
    ? ServerKeys.Load(options.DataDirectoryFullPath)
    : await ServerKeys.LoadAsync(clusterSecrets, options.DataDirectoryFullPath);
builder.AddFactoryMeshSecurity(keys, options.DataDirectoryFullPath, clusterSecrets);
builder.AddFactoryMeshAttestation(keys, options.Storage, connectionString, options.DataDirectoryFullPath, clusterSecrets);
builder.AddFactoryMeshLiveUpdates();
builder.AddFactoryMeshTelemetry();
builder.AddFactoryMeshRequestLimits();
builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestProblemHandler>();
builder.Services.AddExceptionHandler<UnavailableProblemHandler>();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: ["ready"]);

var app = builder.Build();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles(); // the dashboard page and its scripts: public, it holds no data until given a token
app.UseAuthentication();
app.UseFactoryMeshRequestLimits(); // before authorization: refused callers spend their budget too
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
// Every API route, under the one root the contract names; the ids in its route values are checked once, here.
var api = app.MapGroup(ApiRoutes.Root).AddEndpointFilter<RouteValuesFilter>();
api.MapSitesApi();
api.MapTenantsApi();
api.MapTokensApi();
api.MapModelsApi();
api.MapPlacementApi();
api.MapKeysApi();
api.MapAttestationApi();
api.MapAuditApi();
api.MapHistoryApi();
api.MapBaselineApi(app.Configuration);
app.MapFactoryMeshLiveUpdates();
app.MapFactoryMeshMetrics();
app.MapOrleansDashboardIfEnabled(api);

app.Run();

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
