using FactoryMesh.Server.Hosting;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Server.Security;

/// <summary>
/// Makes sure the data folder holds a working operator token (<c>operator.token</c>, owner-only), so the
/// first operator and <c>fmctl</c> on the same machine can act without any other setup. A missing, foreign
/// or nearly expired token is replaced; the log says where the token is, never what it is.
/// </summary>
public sealed partial class OperatorTokenBootstrap(
    TokenIssuer issuer,
    IOptions<FactoryMeshOptions> options,
    TimeProvider clock,
    ILogger<OperatorTokenBootstrap> logger) : IHostedService
{
    /// <summary>How long the operator token written at start-up lasts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    /// <summary>A token expiring sooner than this is replaced at start-up.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    /// <summary>The operator token's file name in the data folder.</summary>
    public const string FileName = "operator.token";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.Value.DataDirectoryFullPath, FileName);
        if (File.Exists(path))
        {
            SecretFileModes.EnsureOwnerOnly(path);
            var validUntil = await issuer.ValidUntilAsync((await File.ReadAllTextAsync(path, cancellationToken)).Trim());
            if (validUntil is { } until && until - clock.GetUtcNow() > RenewBefore)
            {
                LogExistingToken(path);
                return;
            }
        }

        var token = issuer.Issue("bootstrap-operator", Roles.Operator, site: null, tenant: null, Lifetime);
        OwnerOnlyFile.WriteAllText(path, token.Token);
        LogWroteToken(path, token.ExpiresAt);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator token written to {Path}, valid until {ExpiresAt:u}")]
    private partial void LogWroteToken(string path, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator token in {Path} is valid")]
    private partial void LogExistingToken(string path);
}
