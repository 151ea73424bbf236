using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Tenants;

/// <summary>Tenants as tables.</summary>
internal static class TenantViews
{
    public static ListView List { get; } = new(
        "No tenants.",
        ListColumn.Text("TENANT", t => t.Text("tenantId")),
        ListColumn.Text("ALLOW JURISDICTIONS", t => t.Text("policy", "allowedJurisdictions")),
        ListColumn.Text("ALLOW ZONES", t => t.Text("policy", "allowedZones")),
        ListColumn.Text("DENY", t => t.Text("policy", "deniedJurisdictions")),
        ListColumn.Text("TEE", t => t.Text("policy", "requiredTeeKinds")),
        ListColumn.Numeric("MAX AGE s", t => t.Text("policy", "maxAttestationAgeSeconds")),
        ListColumn.Text("WEIGHTS cost/energy/carbon", t => string.Join('/',
            t.Number("0.##", "policy", "weights", "cost"), t.Number("0.##", "policy", "weights", "energy"), t.Number("0.##", "policy", "weights", "carbon"))),
        ListColumn.Numeric("BUDGET USD/h", t => t.Number("0.##", "policy", "budgetUsdPerHour")),
        ListColumn.Text("UPDATED", t => t.TimeText("updatedAt")));
}
