using System.Text.Json;
using System.Text.Json.Serialization;

namespace FactoryMesh.SiteAgent.Sites;

/// <summary>
/// Reads a site file (<c>sites/*.json</c>): the site's id, jurisdiction, zones, electricity price, PUE and carbon
/// intensity, and its fleet mix. Unknown fields are refused, so a misspelt field is caught instead of ignored.
/// </summary>
internal static class SiteFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    public static SiteDescription Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses and checks <paramref name="json"/>; <paramref name="source"/> names it in errors.</summary>
    public static SiteDescription Parse(string json, string source = "(text)")
    {
        Content? content;
        try
        {
            content = JsonSerializer.Deserialize<Content>(json, Options);
        }
        catch (JsonException exception)
        {
            throw new InvalidSiteFileException(source, [$"It is not valid site JSON: {exception.Message}"]);
        }

        if (content is null)
        {
            throw new InvalidSiteFileException(source, ["It is empty."]);
        }

        var problems = new List<string>();
        Check(content, problems);
        if (problems.Count > 0)
        {
            throw new InvalidSiteFileException(source, problems);
        }

        return new SiteDescription(
            content.SiteId!,
            content.Name,
            content.Jurisdiction!,
            content.Zones ?? [],
            content.ElectricityUsdPerKwh!.Value,
            content.Pue!.Value,
            content.CarbonGramsPerKwh!.Value,
            (content.Fleet ?? []).Select(f => new FleetShare(f.GpuModel!, f.Share ?? 1, f.GpusPerNode ?? 8, f.CostUsdPerGpuHour!.Value)).ToArray());
    }

    private static void Check(Content content, List<string> problems)
    {
        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Require(ResourceNames.IsValid(content.SiteId), $"siteId must be {ResourceNames.Rule}.");
        Require(content.Jurisdiction is { Length: 2 } j && j.All(char.IsAsciiLetterUpper), "jurisdiction must be an ISO 3166-1 alpha-2 code in upper case, e.g. 'DE'.");
        foreach (var zone in content.Zones ?? [])
        {
            Require(zone is { Length: >= 2 and <= 32 } && zone.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-'), $"zone '{zone}' must be 2 to 32 upper-case letters, digits or '-'.");
        }

        Require(content.ElectricityUsdPerKwh is >= 0 and <= 10, "electricityUsdPerKwh is required, between 0 and 10 USD per kWh.");
        Require(content.Pue is >= 1 and <= 5, "pue is required, between 1.0 and 5.0.");
        Require(content.CarbonGramsPerKwh is >= 0 and <= 2000, "carbonGramsPerKwh is required, between 0 and 2000 gCO2e per kWh.");
        Require(content.Fleet is { Count: > 0 }, "fleet must list at least one GPU model.");
        for (var i = 0; i < (content.Fleet?.Count ?? 0); i++)
        {
            var share = content.Fleet![i];
            Require(share.GpuModel is { Length: >= 1 and <= 32 } m && m.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), $"fleet[{i}].gpuModel must be 1 to 32 letters, digits, '-' or '_'.");
            Require(share.Share is null or > 0 and <= 1000, $"fleet[{i}].share must be more than 0.");
            Require(share.GpusPerNode is null or >= 1 and <= 64, $"fleet[{i}].gpusPerNode must be between 1 and 64.");
            Require(share.CostUsdPerGpuHour is >= 0 and <= 1000, $"fleet[{i}].costUsdPerGpuHour is required, between 0 and 1000 USD.");
        }
    }

    // The file's shape: everything nullable, so a missing field is reported by name rather than defaulted.
    private sealed record Content(
        string? SiteId,
        string? Name,
        string? Jurisdiction,
        IReadOnlyList<string>? Zones,
        double? ElectricityUsdPerKwh,
        double? Pue,
        double? CarbonGramsPerKwh,
        IReadOnlyList<ShareContent>? Fleet);

    private sealed record ShareContent(string? GpuModel, double? Share, int? GpusPerNode, double? CostUsdPerGpuHour);
}
