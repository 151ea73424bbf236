namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>How an external command ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">What it printed on standard output.</param>
internal sealed record CommandResult(int ExitCode, string StandardOutput);
