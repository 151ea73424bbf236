using System.CommandLine;

namespace FactoryMesh.Cli.Commands;

/// <summary>Gives a verb its action with a <see cref="CommandSession"/> made from the parsed global options.</summary>
internal static class CommandActions
{
    /// <summary>An action that decides its own exit code (e.g. <c>audit verify</c>).</summary>
    public static void SetSessionAction(
        this Command command, GlobalOptions globals, Func<CommandSession, ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var session = new CommandSession(parse, globals);
            return await action(session, parse, cancellationToken);
        });
    }

    /// <summary>An action that succeeds unless it throws a <see cref="CliFailure"/>.</summary>
    public static void SetSessionAction(
        this Command command, GlobalOptions globals, Func<CommandSession, ParseResult, CancellationToken, Task> action) =>
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            await action(session, parse, cancellationToken);
            return ExitCodes.Success;
        });
}
