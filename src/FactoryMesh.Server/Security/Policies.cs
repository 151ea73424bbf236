namespace FactoryMesh.Server.Security;

/// <summary>Authorization policy names. Every endpoint needs an authenticated caller unless it says otherwise.</summary>
public static class Policies
{
    /// <summary>Operators only.</summary>
    public const string Operator = "operator";

    /// <summary>Operators and schedulers.</summary>
    public const string OperatorOrScheduler = "operator-or-scheduler";
}
