using System.CommandLine;

namespace FactoryMesh.Cli.Commands;

/// <summary>The ids and options several verbs take, described once so every verb's help says the same.</summary>
internal static class CommonSymbols
{
    public static Argument<string> SiteId() => new("siteId") { Description = "The site, e.g. eu-fra-1" };

    public static Argument<string> NodeId() => new("nodeId") { Description = "The node, {siteId}/{name}, e.g. eu-fra-1/node-007" };

    public static Argument<string> TenantId() => new("tenantId") { Description = "The tenant, e.g. acme" };

    public static Argument<string> ModelId() => new("modelId") { Description = "The model, e.g. llama-70b" };

    /// <summary>A required <c>--reason</c>, which goes into the audit ledger.</summary>
    public static Option<string> Reason() => new("--reason") { Description = "Why, for the audit ledger", Required = true };
}
