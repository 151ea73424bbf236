using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Tokens;

/// <summary>
/// <c>fmctl tokens issue | revoke | rotate-key</c>: bearer tokens for agents, schedulers, viewers and further operators,
/// their revocation, and the rotation of the key that signs them.
/// </summary>
internal static class TokensCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var tokens = new Command("tokens", "Bearer tokens for the other roles (needs an operator token)");
        tokens.Subcommands.Add(Issue(globals));
        tokens.Subcommands.Add(Revoke(globals));
        tokens.Subcommands.Add(RotateKey(globals));
        return tokens;
    }

    private static Command Issue(GlobalOptions globals)
    {
        var role = new Option<string>("--role") { Description = "operator, scheduler, agent (with --site), viewer (with --tenant) or metrics (a scraper of /metrics)", Required = true };
        var site = new Option<string?>("--site") { Description = "The site an agent token speaks for" };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant a viewer token may see" };
        var subject = new Option<string?>("--subject") { Description = "Who the token is for, as audit records will name it" };
        var lifetime = new Option<int?>("--lifetime-hours") { Description = "How long it lasts, 1 to 8760 [server default: 24]", HelpName = "hours" };
        var issue = new Command("issue", "Issue a token; with --output table it prints the token alone, ready for TOKEN=$(fmctl tokens issue …)")
        {
            role, site, tenant, subject, lifetime,
        };
        issue.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var body = new
            {
                Role = parse.GetRequiredValue(role),
                Site = parse.GetValue(site),
                Tenant = parse.GetValue(tenant),
                Subject = parse.GetValue(subject),
                LifetimeHours = parse.GetValue(lifetime),
            };
            var issued = await session.Api.PostAsync(ApiPaths.Tokens, body, cancellationToken);
            session.Output.ShowValue(issued, issued.Text("token"));
        });
        return issue;
    }

    private static Command Revoke(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The token's id, as 'tokens issue -o json' printed it; every token refreshed from it is revoked too" };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit log", Required = true };
        var revoke = new Command("revoke", "Revoke a token and its refreshed successors on every silo") { id, reason };
        revoke.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var revoked = await session.Api.PostAsync(ApiPaths.TokenRevocation(parse.GetRequiredValue(id)), new { Reason = parse.GetRequiredValue(reason) }, cancellationToken);
            session.Output.Show(revoked, PropertySheetView.Instance);
        });
        return revoke;
    }

    private static Command RotateKey(GlobalOptions globals)
    {
        var retire = new Option<bool>("--retire-earlier-keys") { Description = "Stop every earlier key at once (a key is feared stolen): every token issued so far stops working, this one's too" };
        var rotate = new Command("rotate-key", "Sign new tokens with a new key; earlier tokens keep working until they expire") { retire };
        rotate.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var rotation = await session.Api.PostAsync(ApiPaths.TokenKeyRotation, new { RetireEarlierKeys = parse.GetValue(retire) }, cancellationToken);
            session.Output.Show(rotation, PropertySheetView.Instance);
        });
        return rotate;
    }
}
