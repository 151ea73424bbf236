using System.Text.Json;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Finds a claim by a path of member names separated by <c>/</c> (<c>attester_runtime_data/nonce</c>): claim names
/// themselves contain dots (<c>ear.status</c>), so a dot cannot separate them.
/// </summary>
public static class ClaimPath
{
    /// <summary>The element at <paramref name="path"/> under <paramref name="root"/>, when every step is an object member.</summary>
    public static bool TryGet(JsonElement root, string path, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(path);
        value = root;
        foreach (var step in path.Split('/'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(step, out value))
            {
                value = default;
                return false;
            }
        }

        return path.Length > 0;
    }

    /// <summary>The string at <paramref name="path"/>, or null.</summary>
    public static string? Text(JsonElement root, string path) =>
        TryGet(root, path, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>True only when the claim at <paramref name="name"/> is the JSON literal <c>true</c>.</summary>
    public static bool IsTrue(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
