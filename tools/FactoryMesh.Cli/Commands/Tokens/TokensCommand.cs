using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Tokens;

/// <summary><c>fmctl tokens issue</c>: bearer tokens for agents, schedulers, viewers and further operators.</summary>
internal static class TokensCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var tokens = new Command("tokens", "Bearer tokens for the other roles (needs an operator token)");
        tokens.Subcommands.Add(Issue(globals));
        return tokens;
    }

    private static Command Issue(GlobalOptions globals)
    {
        var role = new Option<string>("--role") { Description = "operator, scheduler, agent (with --site) or viewer (with --tenant)", Required = true };
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
}
