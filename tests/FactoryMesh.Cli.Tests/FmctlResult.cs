namespace FactoryMesh.Cli.Tests;

/// <summary>What one finished fmctl run left behind.</summary>
public sealed record FmctlResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Standard error's lines, for asserting fmctl's one-line failure contract.</summary>
    public IReadOnlyList<string> ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Fails with everything fmctl printed unless it exited 0.</summary>
    public FmctlResult AssertSucceeded()
    {
        Assert.True(ExitCode == 0, $"fmctl exited {ExitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        return this;
    }

    /// <summary>Asserts the failure contract: exit <paramref name="exitCode"/> and exactly one line on stderr, returned.</summary>
    public string AssertFailedWithOneLine(int exitCode)
    {
        Assert.True(ExitCode == exitCode, $"fmctl exited {ExitCode}, expected {exitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("fmctl: ", line, StringComparison.Ordinal);
        return line;
    }
}
