namespace FactoryMesh.Cli.Connection;

/// <summary>
/// Finds the bearer token: <c>--token</c>, else <c>$FACTORYMESH_TOKEN</c>, else the operator token the embedded
/// server writes into its data folder (<c>$FactoryMesh__DataDirectory</c>, else <c>./data</c>, the server's own
/// default), so that on the server's machine fmctl works with no setup at all.
/// </summary>
internal static class TokenLocator
{
    /// <summary>The environment variable holding a token.</summary>
    public const string TokenVariable = "FACTORYMESH_TOKEN";

    /// <summary>The server's data folder setting, as an environment variable (ASP.NET Core's <c>__</c> for <c>:</c>).</summary>
    public const string DataDirectoryVariable = "FactoryMesh__DataDirectory";

    /// <summary>The file the embedded server writes its operator token to.</summary>
    public const string OperatorTokenFile = "operator.token";

    /// <summary>The token to send, or a usage failure that says where fmctl looked.</summary>
    public static string Locate(string? explicitToken)
    {
        if (!string.IsNullOrWhiteSpace(explicitToken))
        {
            return explicitToken.Trim();
        }

        if (Environment.GetEnvironmentVariable(TokenVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        var path = Path.GetFullPath(Path.Combine(DataDirectory(), OperatorTokenFile));
        try
        {
            var fromFile = File.ReadAllText(path).Trim();
            if (fromFile.Length > 0)
            {
                return fromFile;
            }
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            // reported below, with the other places looked at
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.Usage, $"cannot read the operator token {path}: {exception.Message}", exception);
        }

        throw new CliFailure(ExitCodes.Usage,
            $"no token: pass --token, set {TokenVariable}, or run where the server's data folder is (no token in {path})");
    }

    private static string DataDirectory() =>
        Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } configured ? configured : "./data";
}
