using System.Net;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Faults;
using FactoryMesh.SiteAgent.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>
/// Keeps every node's attestation fresh: one loop per node runs challenge → evidence → submit, then waits as
/// <see cref="AttestationSchedule"/> says (half the granted freshness, jittered; backoff after failures). A node is
/// attested at start (its TEE key is new each run), when registration finds it not Trusted, when an injected
/// <c>stop-attesting</c> fault is lifted, and when a fault that changes its evidence is injected or lifted. A limited
/// number of attestations run at once.
/// </summary>
internal sealed class AttestationService(
    NodeFleet fleet,
    IControlPlane controlPlane,
    FaultState faults,
    AttestationSchedule schedule,
    IOptions<AttestationTimingOptions> options,
    AgentCounters counters,
    TimeProvider time,
    ILogger<AttestationService> logger) : BackgroundService
{
    // How often an idle loop looks again at faults and registration; short, since it costs nothing.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private const NodeFault EvidenceFaults = NodeFault.FailAttestation | NodeFault.DebugOn | NodeFault.CcModeOff;

    private readonly SemaphoreSlim _inFlight = new(Math.Max(1, options.Value.MaxConcurrent));

    /// <inheritdoc />
    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(fleet.Nodes.Select(node => KeepFreshAsync(node, stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task KeepFreshAsync(ManagedNode node, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var due = time.GetUtcNow() + schedule.FirstAttempt(Random.Shared.NextDouble());
        var failures = 0;
        var paused = false;
        var evidenceFaults = NodeFault.None;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (node.NeedsRegistration)
            {
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (faults.Has(node.Name, NodeFault.StopAttesting))
            {
                if (!paused)
                {
                    paused = true;
                    logger.AttestationPaused(node.Id);
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (paused)
            {
                paused = false;
                due = time.GetUtcNow();
                logger.AttestationResumed(node.Id);
            }

            // A fault that changes what the node's evidence says (injected or lifted) is shown to the control plane at once.
            var injected = faults.Current.For(node.Name) & EvidenceFaults;
            if (injected != evidenceFaults)
            {
                evidenceFaults = injected;
                due = time.GetUtcNow();
            }

            var now = time.GetUtcNow();
            if (now < due)
            {
                var wait = due - now < PollInterval ? due - now : PollInterval;
                if (await node.AttestationWanted.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
                {
                    due = time.GetUtcNow(); // registration found the node untrusted: attest now
                }

                continue;
            }

            (due, failures) = await AttestOnceAsync(node, failures, cancellationToken).ConfigureAwait(false);
        }
    }

    // One challenge → evidence → submit round; returns when to try next and the count of consecutive failures.
    private async Task<(DateTimeOffset Due, int Failures)> AttestOnceAsync(ManagedNode node, int failures, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = time.GetUtcNow();
        try
        {
            var challenge = await controlPlane.ChallengeAsync(node.Id, cancellationToken).ConfigureAwait(false);
            var evidence = await node.Evidence.CreateAsync(node.Id, challenge.Nonce, cancellationToken).ConfigureAwait(false);
            var result = await controlPlane.SubmitEvidenceAsync(node.Id, new EvidenceSubmission(node.Evidence.Format, evidence), cancellationToken).ConfigureAwait(false);
            var wasTrusted = node.Trust is { IsTrusted: true };
            node.Trust = result.Trust;
            if (result.Accepted)
            {
                counters.AttestationPassed();
                if (!wasTrusted || failures > 0)
                {
                    logger.Attested(node.Id, result.Trust?.ExpiresAt);
                }
                else
                {
                    logger.Reattested(node.Id, result.Trust?.ExpiresAt);
                }

                return (started + schedule.AfterSuccess(result.Trust?.Freshness, Random.Shared.NextDouble()), 0);
            }

            counters.AttestationRejected();
            logger.AttestationRejected(node.Id, result.FailedCheck ?? "unknown", result.Detail ?? string.Empty);
            return Failed();
        }
        catch (ControlPlaneUnreachableException exception)
        {
            counters.AttestationError();
            logger.AttestationDeferred(node.Id, exception.Message);
            return Failed();
        }
        catch (ControlPlaneRefusedException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            // The control plane does not know the node (it lost its state): register it, then attest.
            counters.AttestationError();
            if (fleet.RequestRegistration(node))
            {
                logger.Reregistering(node.Id, "unknown to the control plane when attesting");
            }

            return (time.GetUtcNow(), 0);
        }
        catch (ControlPlaneRefusedException exception)
        {
            counters.AttestationError();
            logger.AttestationRefused(node.Id, exception.Message);
            return Failed();
        }
        catch (EvidenceUnavailableException exception)
        {
            counters.AttestationError();
            logger.EvidenceUnavailable(node.Id, exception.Message);
            return Failed();
        }
        finally
        {
            _inFlight.Release();
        }

        (DateTimeOffset, int) Failed() => (time.GetUtcNow() + schedule.AfterFailure(failures + 1, Random.Shared.NextDouble()), failures + 1);
    }
}
