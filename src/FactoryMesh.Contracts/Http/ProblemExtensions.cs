namespace FactoryMesh.Contracts.Http;

/// <summary>Names of the extension members the control plane adds to its problems (see <see cref="ProblemAnswer"/>).</summary>
public static class ProblemExtensions
{
    /// <summary>The appraisal check that failed.</summary>
    public const string Check = "check";

    /// <summary>The node's trust after a rejected appraisal.</summary>
    public const string Trust = "trust";

    /// <summary>Why a key was not released.</summary>
    public const string Refusal = "refusal";

    /// <summary>The placement epoch a key refusal refers to.</summary>
    public const string PlacementEpoch = "placementEpoch";
}
