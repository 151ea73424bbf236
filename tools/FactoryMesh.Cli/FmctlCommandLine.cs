using System.CommandLine;
using FactoryMesh.Cli.Commands.Audit;
using FactoryMesh.Cli.Commands.Certificates;
using FactoryMesh.Cli.Commands.Db;
using FactoryMesh.Cli.Commands.Model;
using FactoryMesh.Cli.Commands.Models;
using FactoryMesh.Cli.Commands.Placement;
using FactoryMesh.Cli.Commands.Nodes;
using FactoryMesh.Cli.Commands.Sites;
using FactoryMesh.Cli.Commands.Tenants;
using FactoryMesh.Cli.Commands.Tokens;
using FactoryMesh.Cli.Commands.Top;
using FactoryMesh.Cli.Commands.Watch;

namespace FactoryMesh.Cli;

/// <summary>
/// The command tree: <c>fmctl [--server URL] [--token TOKEN] [--output table|json] &lt;noun&gt; &lt;verb&gt; …</c>.
/// Each noun lives in its own folder under Commands/ and is one line below. Commands that work without the server
/// (<c>db init</c>, <c>model encrypt</c>'s local checks) simply never touch <c>CommandSession.Api</c>, so they need no token.
/// </summary>
internal static class FmctlCommandLine
{
    public static RootCommand Create()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("fmctl: the FactoryMesh control plane from the command line");
        globals.AddTo(root);
        root.Subcommands.Add(SitesCommand.Create(globals));
        root.Subcommands.Add(NodesCommand.Create(globals));
        root.Subcommands.Add(TenantsCommand.Create(globals));
        root.Subcommands.Add(ModelsCommand.Create(globals));
        root.Subcommands.Add(ModelCommand.Create(globals));
        root.Subcommands.Add(PlacementCommand.Create(globals));
        root.Subcommands.Add(TokensCommand.Create(globals));
        root.Subcommands.Add(AuditCommand.Create(globals));
        root.Subcommands.Add(CertificatesCommand.Create(globals));
        root.Subcommands.Add(WatchCommand.Create(globals));
        root.Subcommands.Add(TopCommand.Create(globals));
        root.Subcommands.Add(DbCommand.Create(globals));
        return root;
    }
}
