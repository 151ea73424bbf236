using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Core.Audit;

namespace FactoryMesh.Cli.Commands.Audit;

/// <summary>
/// Verifies the ledger on this machine with only the audit public key: the server hands over its records and head
/// as stored, and nothing it says about their integrity is taken on trust.
/// </summary>
internal static class OfflineLedger
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<AuditVerification> VerifyAsync(FleetApiClient api, FileInfo publicKeyFile, FileInfo? checkpointFile, CancellationToken cancellationToken)
    {
        using var publicKey = ReadPublicKey(publicKeyFile);
        var checkpoint = checkpointFile is null ? null : Read<AuditHead>(checkpointFile, "--checkpoint");
        var head = (await api.GetAsync(ApiPaths.AuditHead, cancellationToken)).GetProperty("head").Deserialize<AuditHead>(Json)!;
        var records = new List<AuditRecord>();
        while (true)
        {
            var page = (await api.GetAsync(ApiPaths.AuditRecords(records.Count == 0 ? 0 : records[^1].Sequence), cancellationToken)).Deserialize<AuditRecord[]>(Json) ?? [];
            records.AddRange(page);
            if (page.Length < 1000)
            {
                break;
            }
        }

        return AuditChain.Verify(records, head, publicKey, checkpoint);
    }

    private static ECDsa ReadPublicKey(FileInfo file)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(ReadText(file, "--public-key"));
            return key;
        }
        catch (ArgumentException exception)
        {
            key.Dispose();
            throw new CliFailure(ExitCodes.Usage, $"--public-key: {file.FullName} holds no PEM public key ({exception.Message})", exception);
        }
    }

    private static T Read<T>(FileInfo file, string option)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(ReadText(file, option), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException exception)
        {
            throw new CliFailure(ExitCodes.Usage, $"{option}: {file.FullName} is not a checkpoint file ({exception.Message})", exception);
        }
    }

    private static string ReadText(FileInfo file, string option)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.Usage, $"{option}: cannot read {file.FullName} ({exception.Message})", exception);
        }
    }
}
