using System.CommandLine;
using System.CommandLine.Invocation;
using FactoryMesh.Cli;

// fmctl's contract with scripts: exit 0 on success; otherwise a non-zero code (see ExitCodes) and exactly one
// line on stderr, "fmctl: …". Every failure path ends here.
var parse = FmctlCommandLine.Create().Parse(args);
if (parse.Action is ParseErrorAction)
{
    await Console.Error.WriteLineAsync($"fmctl: {UsageError.Describe(parse)}");
    return ExitCodes.Usage;
}

try
{
    // Exceptions come here rather than to System.CommandLine's handler, which would print a stack trace.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliFailure failure)
{
    await Console.Error.WriteLineAsync($"fmctl: {failure.Message}");
    return failure.ExitCode;
}
catch (OperationCanceledException)
{
    // Ctrl+C while a request was in flight: the user knows why it stopped.
    return ExitCodes.Interrupted;
}
#pragma warning disable CA1031 // the last resort: a bug in fmctl still gets one line instead of a stack trace
catch (Exception unexpected)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"fmctl: unexpected error ({unexpected.GetType().Name}): {unexpected.Message}");
    return ExitCodes.InternalError;
}
