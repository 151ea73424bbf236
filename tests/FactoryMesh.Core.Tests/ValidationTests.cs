using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Core.Tests;

public sealed class ValidationTests
{
    private static ValidationErrors Check(Action<ValidationErrors> validate)
    {
        var errors = new ValidationErrors();
        validate(errors);
        return errors;
    }

    [Fact]
    public void A_plausible_site_is_valid()
    {
        Assert.True(Check(new SiteProfile("DE", ["EU"], 0.21, 1.2, 380).Validate).IsValid);
    }

    [Fact]
    public void Site_rules_name_each_broken_field()
    {
        var errors = Check(new SiteProfile("XX", ["eu", "EU", "EU"], -1, 0.9, double.NaN).Validate).ToDictionary();
        Assert.Equal(["carbonGramsPerKwh", "electricityUsdPerKwh", "jurisdiction", "pue", "zones", "zones[0]"], errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Node_rules_refuse_negative_counts_and_unknown_tee_kinds()
    {
        var errors = Check(new NodeInventory("H100", -1, 80, "SGX9", 700, -2).Validate).ToDictionary();
        Assert.Equal(["costUsdPerHour", "gpuCount", "teeKind"], errors.Keys.Order().ToArray());
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Utilization_outside_zero_to_one_is_refused(double utilization)
    {
        var errors = Check(e => new UtilizationSample(utilization, 0, 0, 0, default).Validate(e, "items[2].")).ToDictionary();
        Assert.Equal(["items[2].gpuUtilization"], errors.Keys.ToArray());
    }

    [Fact]
    public void Tenant_policy_refuses_a_country_both_allowed_and_denied_and_all_zero_weights()
    {
        var policy = new TenantPolicy(["DE", "FR"], ["EU"], ["FR"], ["TDX"], 600, new ObjectiveWeights(0, 0, 0), null);
        var errors = Check(policy.Validate).ToDictionary();
        Assert.Equal(["deniedJurisdictions", "weights"], errors.Keys.Order().ToArray());
    }

    [Fact]
    public void Tenant_policy_with_sensible_values_is_valid()
    {
        var policy = new TenantPolicy(["DE", "FR"], ["EU"], ["US"], ["TDX", "SEV-SNP"], 600, new ObjectiveWeights(1, 0.5, 0), 500);
        Assert.True(Check(policy.Validate).IsValid);
    }
}
