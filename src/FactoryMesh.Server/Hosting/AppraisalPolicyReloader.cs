using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Reloads the appraisal policy file when it changes, without a restart: every later appraisal uses (and names) the new
/// version. Each change is logged and written to the audit ledger, put in force or refused; in a cluster each silo
/// watches its own copy, so the file is rolled out to every silo as any configuration is.
/// </summary>
internal sealed partial class AppraisalPolicyReloader(
    AppraisalPolicyFile file,
    IOptions<AppraisalPolicyReloadOptions> options,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<AppraisalPolicyReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var outcome = file.Refresh();
            if (!outcome.Changed)
            {
                continue;
            }

            if (outcome.Error is null)
            {
                LogReloaded(file.Path, outcome.PreviousVersion, outcome.Version);
            }
            else
            {
                LogRefused(file.Path, outcome.Version, outcome.Error);
            }

            try
            {
                await grains.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(new AuditEntry(
                    clock.GetUtcNow(), AuditKinds.AppraisalPolicyChange, null, "system", outcome.Error is null ? "loaded" : "refused",
                    outcome.Error is null
                        ? $"appraisal policy {outcome.PreviousVersion} replaced by {outcome.Version}"
                        : $"the changed appraisal policy file does not parse; {outcome.Version} stays in force: {outcome.Error}",
                    PolicyVersion: outcome.Version)).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the policy is in force either way; an audit write that fails is logged and the watch goes on
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogAuditFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Appraisal policy {Path} reloaded: {Previous} -> {Version}")]
    private partial void LogReloaded(string path, string previous, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Appraisal policy {Path} changed but does not parse; {Version} stays in force: {Error}")]
    private partial void LogRefused(string path, string version, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The appraisal policy change could not be written to the audit ledger")]
    private partial void LogAuditFailed(Exception exception);
}
