using FactoryMesh.Core.Audit;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Api;

/// <summary>The append-only audit ledger: <c>GET /api/v1/audit</c> and its verification.</summary>
public static class AuditApi
{
    /// <summary>The most records one page returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Operator);
        audit.MapGet("/", ReadAsync);
        audit.MapGet("/verify", VerifyAsync);
        audit.MapGet("/records", ExportAsync);
        audit.MapGet("/head", HeadAsync);
        audit.MapGet("/public-key", (AuditChain chain) => TypedResults.Ok(new AuditPublicKeyView(chain.PublicKeyPem)));
        return app;
    }

    private static async Task<IResult> ReadAsync(IAuditStore store, string? nodeId = null, DateTimeOffset? since = null, long after = 0, int limit = 100)
    {
        var errors = new ValidationErrors();
        errors.AddIf(nodeId is not null && !NodeId.TryParse(nodeId, out _), "nodeId", $"Must be a node id: {NodeId.Rule}.");
        errors.AddIf(after < 0, "after", "Must not be negative.");
        errors.AddIf(limit is < 1 or > MaxPage, "limit", $"Must be between 1 and {MaxPage}.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var records = await store.ReadAsync(nodeId, since, after, limit);
        return TypedResults.Ok(records.Select(r => new AuditRecordView(r.Sequence, AuditChain.Read(r), r.PreviousHash, r.Hash)).ToArray());
    }

    // The records exactly as stored (the body is what the hash covers), for verifying the ledger elsewhere.
    private static async Task<IResult> ExportAsync(IAuditStore store, long after = 0, int limit = MaxPage)
    {
        var errors = new ValidationErrors();
        errors.AddIf(after < 0, "after", "Must not be negative.");
        errors.AddIf(limit is < 1 or > MaxPage, "limit", $"Must be between 1 and {MaxPage}.");
        return errors.IsValid ? TypedResults.Ok(await store.ReadAsync(null, null, after, limit)) : Problems.Invalid(errors);
    }

    private static async Task<IResult> HeadAsync(IAuditStore store, AuditChain chain, IAuditCheckpoint checkpoint) =>
        TypedResults.Ok(new AuditHeadView(await store.ReadHeadAsync() ?? chain.EmptyHead(), checkpoint.Latest));

    private static async Task<IResult> VerifyAsync(IAuditStore store, AuditChain chain, IAuditCheckpoint checkpoint)
    {
        var records = new List<AuditRecord>();
        while (true)
        {
            var page = await store.ReadAsync(null, null, records.Count == 0 ? 0 : records[^1].Sequence, MaxPage);
            records.AddRange(page);
            if (page.Count < MaxPage)
            {
                break;
            }
        }

        var head = await store.ReadHeadAsync() ?? chain.EmptyHead();
        return TypedResults.Ok(chain.Verify(records, head, checkpoint.Latest));
    }
}

/// <summary>The key that verifies the ledger's signed heads.</summary>
/// <param name="Pem">ECDSA P-256 public key, PEM (SubjectPublicKeyInfo).</param>
public sealed record AuditPublicKeyView(string Pem);

/// <summary>The ledger's signed head as the database holds it, and the checkpoint this silo keeps outside it.</summary>
/// <param name="Head">The head in the database.</param>
/// <param name="Checkpoint">The newest head this silo recorded outside the database, if any.</param>
public sealed record AuditHeadView(AuditHead Head, AuditHead? Checkpoint);

/// <summary>One ledger record as the API shows it.</summary>
/// <param name="Sequence">Its position.</param>
/// <param name="Entry">What it records.</param>
/// <param name="PreviousHash">The hash it links to.</param>
/// <param name="Hash">Its own hash.</param>
public sealed record AuditRecordView(long Sequence, AuditEntry Entry, string PreviousHash, string Hash);
