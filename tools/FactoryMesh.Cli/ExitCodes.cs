namespace FactoryMesh.Cli;

/// <summary>
/// fmctl's exit codes. Distinct codes let scripts tell "you called it wrong" from "the server said no" from
/// "the server is not there", without parsing the one line on stderr.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The server answered with an error (4xx, 5xx), or refused a watch subscription.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong, or no token could be found.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, or did not answer in time.</summary>
    public const int Unreachable = 3;

    /// <summary><c>audit verify</c> found the ledger broken.</summary>
    public const int LedgerBroken = 4;

    /// <summary>Interrupted (Ctrl+C) before the command finished; a watch stopped this way exits 0 instead.</summary>
    public const int Interrupted = 130;

    /// <summary>fmctl itself failed in a way it did not foresee.</summary>
    public const int InternalError = 70;
}
