using System.Text.Json;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The API's JSON conventions: camelCase, RFC 3339 times.</summary>
internal static class ControlPlaneJson
{
    /// <summary>Options for every request and response body.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
