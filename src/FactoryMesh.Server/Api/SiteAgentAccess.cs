using System.Security.Claims;
using FactoryMesh.Core.Identity;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Api;

/// <summary>The check every call that speaks for a site's nodes starts with: a valid site id, and a caller that may speak for it.</summary>
public static class SiteAgentAccess
{
    /// <summary>The problem to answer with, or null when <paramref name="caller"/> may <paramref name="doing"/> for <paramref name="siteId"/>.</summary>
    /// <param name="siteId">The site of the route.</param>
    /// <param name="caller">The authenticated caller.</param>
    /// <param name="doing">What the call does, for the 403's detail: "register nodes of", "send heartbeats for".</param>
    public static IResult? Refusal(string siteId, ClaimsPrincipal caller, string doing)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!ResourceName.IsValid(siteId))
        {
            return Problems.Invalid("siteId", ResourceName.Rule);
        }

        return caller.MaySpeakForSite(siteId) ? null : Problems.Forbidden($"This token may not {doing} site '{siteId}'.");
    }
}
