using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>POST /api/v1/tokens</c>.</summary>
/// <param name="Role">operator, scheduler, agent or viewer.</param>
/// <param name="Site">Required for agents: the site the token speaks for.</param>
/// <param name="Tenant">Required for viewers: the tenant the token may see.</param>
/// <param name="Subject">Who the token is for, as it will appear in audit records.</param>
/// <param name="LifetimeHours">How long it lasts; default 24, at most 8760 (a year).</param>
public sealed record TokenRequest(string? Role, string? Site, string? Tenant, string? Subject, int? LifetimeHours)
{
    /// <summary>The longest lifetime a token may be issued for, hours.</summary>
    public const int MaxLifetimeHours = 8760;

    /// <summary>Adds every broken rule to <paramref name="errors"/>.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(Role is null || !Roles.All.Contains(Role), "role", $"Must be one of {string.Join(", ", Roles.All)}.");
        errors.AddIf(Role == Roles.Agent && !ResourceName.IsValid(Site), "site", $"An agent token needs the site it speaks for: {ResourceName.Rule}.");
        errors.AddIf(Role != Roles.Agent && Site is not null, "site", "Only agent tokens name a site.");
        errors.AddIf(Role == Roles.Viewer && !ResourceName.IsValid(Tenant), "tenant", $"A viewer token needs the tenant it may see: {ResourceName.Rule}.");
        errors.AddIf(Role != Roles.Viewer && Tenant is not null, "tenant", "Only viewer tokens name a tenant.");
        errors.AddIf(Subject is { Length: 0 or > 128 }, "subject", "Must be 1 to 128 characters when given.");
        errors.AddIf(LifetimeHours is < 1 or > MaxLifetimeHours, "lifetimeHours", $"Must be between 1 and {MaxLifetimeHours}.");
    }
}
