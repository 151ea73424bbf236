namespace FactoryMesh.Server.Live;

/// <summary>
/// This silo's viewer subscriptions: which connection of which tenant watches which site or node. Viewers never join
/// the shared site and node groups (those carry every tenant's replica events); each gets a group of its own tenant
/// per target (<see cref="FleetGroups.Viewer"/>). The bridge asks here which tenants' groups an event must reach, and
/// which connections to drop when a tenant's last replica leaves a target.
/// </summary>
public sealed class ViewerSubscriptions
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _byTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string Target, string Tenant)>> _byConnection = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="connectionId"/>, a viewer of <paramref name="tenantId"/>, watches <paramref name="target"/> (a site or node group).</summary>
    public void Add(string connectionId, string tenantId, string target)
    {
        lock (_lock)
        {
            if (!_byTarget.TryGetValue(target, out var tenants))
            {
                tenants = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                _byTarget[target] = tenants;
            }

            if (!tenants.TryGetValue(tenantId, out var connections))
            {
                connections = new HashSet<string>(StringComparer.Ordinal);
                tenants[tenantId] = connections;
            }

            connections.Add(connectionId);
            if (!_byConnection.TryGetValue(connectionId, out var watched))
            {
                watched = [];
                _byConnection[connectionId] = watched;
            }

            watched.Add((target, tenantId));
        }
    }

    /// <summary>Forgets that <paramref name="connectionId"/> watches <paramref name="target"/>.</summary>
    public void Remove(string connectionId, string target)
    {
        lock (_lock)
        {
            if (!_byConnection.TryGetValue(connectionId, out var watched))
            {
                return;
            }

            foreach (var entry in watched.Where(w => w.Target == target).ToList())
            {
                watched.Remove(entry);
                Forget(connectionId, entry.Target, entry.Tenant);
            }

            if (watched.Count == 0)
            {
                _byConnection.Remove(connectionId);
            }
        }
    }

    /// <summary>Forgets every subscription of a connection that closed.</summary>
    public void RemoveConnection(string connectionId)
    {
        lock (_lock)
        {
            if (_byConnection.Remove(connectionId, out var watched))
            {
                foreach (var (target, tenant) in watched)
                {
                    Forget(connectionId, target, tenant);
                }
            }
        }
    }

    /// <summary>The tenants with a viewer watching <paramref name="target"/> on this silo.</summary>
    public IReadOnlyList<string> TenantsWatching(string target)
    {
        lock (_lock)
        {
            return _byTarget.TryGetValue(target, out var tenants) ? [.. tenants.Keys] : [];
        }
    }

    /// <summary>The connections of <paramref name="tenantId"/>'s viewers watching <paramref name="target"/> on this silo.</summary>
    public IReadOnlyList<string> Connections(string target, string tenantId)
    {
        lock (_lock)
        {
            return _byTarget.TryGetValue(target, out var tenants) && tenants.TryGetValue(tenantId, out var connections) ? [.. connections] : [];
        }
    }

    private void Forget(string connectionId, string target, string tenantId)
    {
        if (_byTarget.TryGetValue(target, out var tenants) && tenants.TryGetValue(tenantId, out var connections))
        {
            connections.Remove(connectionId);
            if (connections.Count == 0)
            {
                tenants.Remove(tenantId);
                if (tenants.Count == 0)
                {
                    _byTarget.Remove(target);
                }
            }
        }
    }
}
