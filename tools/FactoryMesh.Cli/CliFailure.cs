namespace FactoryMesh.Cli;

/// <summary>
/// A failure fmctl reports as one line on stderr and an exit code, never as a stack trace: thrown wherever the
/// cause is best known (the HTTP client, the token lookup, the hub), caught once in <c>Program</c>.
/// </summary>
internal sealed class CliFailure : Exception
{
    public CliFailure(int exitCode, string message, Exception? innerException = null)
        : base(OneLine(message), innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code, one of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; }

    // Server messages may carry line breaks; stderr gets exactly one line so scripts can log it as is.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
