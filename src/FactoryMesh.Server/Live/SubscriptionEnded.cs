namespace FactoryMesh.Server.Live;

/// <summary>Tells a viewer that the server ended one of its subscriptions.</summary>
/// <param name="Kind"><c>site</c> or <c>node</c>.</param>
/// <param name="Id">The site or node id.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record SubscriptionEnded(string Kind, string Id, string Reason);
