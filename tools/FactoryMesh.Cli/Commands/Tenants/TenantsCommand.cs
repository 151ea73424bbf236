using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Tenants;

/// <summary><c>fmctl tenants list | get | put</c>: tenants and their placement policy (<c>/api/v1/tenants</c>).</summary>
internal static class TenantsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var tenants = new Command("tenants", "Tenants and their policy: sovereignty, TEE kinds, attestation freshness, objective, budget");
        tenants.Subcommands.Add(List(globals));
        tenants.Subcommands.Add(Get(globals));
        tenants.Subcommands.Add(Put(globals));
        return tenants;
    }

    private static Command List(GlobalOptions globals)
    {
        var list = new Command("list", "Every tenant with its policy");
        list.SetSessionAction(globals, async (session, _, cancellationToken) =>
            session.Output.Show(await session.Api.GetAsync(ApiPaths.Tenants, cancellationToken), TenantViews.List));
        return list;
    }

    private static Command Get(GlobalOptions globals)
    {
        var tenantId = CommonSymbols.TenantId();
        var get = new Command("get", "One tenant") { tenantId };
        get.SetSessionAction(globals, async (session, parse, cancellationToken) =>
            session.Output.Show(await session.Api.GetAsync(ApiPaths.Tenant(parse.GetRequiredValue(tenantId)), cancellationToken), PropertySheetView.Instance));
        return get;
    }

    private static Command Put(GlobalOptions globals)
    {
        var tenantId = CommonSymbols.TenantId();
        var allowJurisdictions = Repeatable("--allow-jurisdiction", "A country replicas may run in, e.g. DE (repeat; none: any)");
        var allowZones = Repeatable("--allow-zone", "A sovereignty zone replicas may run in, e.g. EU (repeat; none: any)");
        var denyJurisdictions = Repeatable("--deny-jurisdiction", "A country replicas must never run in, e.g. US (repeat)");
        var requireTee = Repeatable("--require-tee", "A TEE kind nodes must have, e.g. TDX (repeat; none: any)");
        var maxAge = new Option<int?>("--max-attestation-age") { Description = "Oldest attestation accepted, seconds [server default: 600]", HelpName = "seconds" };
        var cost = Weight("--weight-cost", "cost per token");
        var energy = Weight("--weight-energy", "energy per token");
        var carbon = Weight("--weight-carbon", "carbon per token");
        var budget = new Option<double?>("--budget-usd-per-hour") { Description = "Most the tenant's replicas may cost together, USD per hour", HelpName = "usd" };
        var put = new Command("put", "Create a tenant or replace its whole policy (options left out mean no restriction)")
        {
            tenantId, allowJurisdictions, allowZones, denyJurisdictions, requireTee, maxAge, cost, energy, carbon, budget,
        };
        put.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var weights = new { Cost = parse.GetValue(cost), Energy = parse.GetValue(energy), Carbon = parse.GetValue(carbon) };
            var body = new
            {
                AllowedJurisdictions = parse.GetValue(allowJurisdictions) ?? [],
                AllowedZones = parse.GetValue(allowZones) ?? [],
                DeniedJurisdictions = parse.GetValue(denyJurisdictions) ?? [],
                RequiredTeeKinds = parse.GetValue(requireTee) ?? [],
                MaxAttestationAgeSeconds = parse.GetValue(maxAge),

                // No weight given: leave weights out so the server applies its default (cost only); any weight
                // given: the ones left out count zero, as the API defines.
                Weights = weights is { Cost: null, Energy: null, Carbon: null } ? null : weights,
                BudgetUsdPerHour = parse.GetValue(budget),
            };
            session.Output.Show(await session.Api.PutAsync(ApiPaths.Tenant(parse.GetRequiredValue(tenantId)), body, cancellationToken), PropertySheetView.Instance);
        });
        return put;
    }

    private static Option<string[]> Repeatable(string name, string description) => new(name) { Description = description, HelpName = "value" };

    private static Option<double?> Weight(string name, string what) =>
        new(name) { Description = $"Weight of {what} in the objective (weights left out count 0; none given: cost only)", HelpName = "weight" };
}
