using FactoryMesh.Server.Hosting;
using FactoryMesh.Storage;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// The Kubernetes manifests under tools/deploy, checked without a cluster: every document well formed, the silo's
/// settings binding to what the server reads, and the pieces that must agree (labels, selectors, ports, probes, the
/// service account's rights, the variables Orleans' Kubernetes hosting reads) agreeing.
/// </summary>
public sealed class DeploymentManifestTests
{
    private static readonly string ManifestPath = Path.Combine(RepositoryPaths.Root, "tools", "deploy", "kubernetes", "factorymesh.yaml");
    private readonly List<YamlMappingNode> _documents = Load();

    [Fact]
    public void Every_document_names_its_api_version_kind_and_name_and_the_set_is_complete()
    {
        foreach (var document in _documents)
        {
            Assert.False(string.IsNullOrEmpty(Text(document, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Text(Map(document, "metadata"), "name")));
        }

        Assert.Equal(
            ["Deployment", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"],
            _documents.Select(d => Text(d, "kind")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_silo_settings_bind_to_a_cluster_silo_under_kubernetes_hosting_that_checks_but_does_not_install_the_schema()
    {
        var silo = SiloContainer();
        var env = Seq(silo, "env").Cast<YamlMappingNode>().ToList();
        var literal = env.Where(e => e.Children.ContainsKey("value")).ToDictionary(e => Text(e, "name"), e => Text(e, "value"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(literal.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var options = new FactoryMeshOptions();
        configuration.GetSection(FactoryMeshOptions.Section).Bind(options);
        var tls = configuration.GetSection(SiloTlsSettings.Section).Get<SiloTlsSettings>()!;

        Assert.Equal(StorageEngine.PostgreSql, options.Storage);
        Assert.False(options.InstallSchema);
        Assert.True(options.Kubernetes.Enabled);
        Assert.All(new[] { tls.CertificatePath, tls.KeyPath, tls.CaPath }, path => Assert.StartsWith(options.DataDirectory + "/", path, StringComparison.Ordinal));

        // Secrets come from the Secret, never as literals.
        Assert.Equal("connection-string", SecretKeyOf(env, "ConnectionStrings__FactoryMesh"));
        Assert.Equal("key-encryption-key", SecretKeyOf(env, "FactoryMesh__Cluster__KeyEncryptionKey"));

        // What Orleans' Kubernetes hosting reads, from the downward API, and the labels it finds its pods by.
        Assert.Equal("metadata.name", FieldOf(env, KubernetesHostingOptions.PodNameEnvironmentVariable));
        Assert.Equal("metadata.namespace", FieldOf(env, KubernetesHostingOptions.PodNamespaceEnvironmentVariable));
        Assert.Equal("status.podIP", FieldOf(env, KubernetesHostingOptions.PodIPEnvironmentVariable));
        var labels = Map(Map(Map(Map(Deployment(), "spec"), "template"), "metadata"), "labels");
        Assert.Equal(options.ClusterId, Text(labels, KubernetesHostingOptions.ClusterIdLabel));
        Assert.Equal(options.ClusterId, Text(labels, KubernetesHostingOptions.ServiceIdLabel)); // the server uses its cluster id as service id too

        // Ports: the API where ASP.NET Core listens, the silo port where Orleans does; probes on the server's health routes.
        var ports = Seq(silo, "ports").Cast<YamlMappingNode>().ToDictionary(p => Text(p, "name"), p => int.Parse(Text(p, "containerPort"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith($":{ports["http"]}", literal["ASPNETCORE_URLS"], StringComparison.Ordinal);
        Assert.Equal(options.SiloPort, ports["silo"]);
        Assert.Equal(("/readyz", "http"), Probe(silo, "readinessProbe"));
        Assert.Equal(("/healthz", "http"), Probe(silo, "livenessProbe"));
        Assert.Equal(("/readyz", "http"), Probe(silo, "startupProbe"));
    }

    [Fact]
    public void The_init_containers_prepare_an_owner_only_data_folder_and_install_the_schema_with_fmctl_from_the_image()
    {
        var pod = Map(Map(Map(Deployment(), "spec"), "template"), "spec");
        var init = Seq(pod, "initContainers").Cast<YamlMappingNode>().ToList();
        Assert.Equal(["secrets", "schema"], init.Select(c => Text(c, "name")));

        var copy = string.Join(" ", Seq(init[0], "command").Select(n => ((YamlScalarNode)n).Value));
        Assert.Contains("install -d -m 0700 /var/lib/factorymesh/data", copy, StringComparison.Ordinal);
        Assert.Contains("install -m 0600", copy, StringComparison.Ordinal);

        var schema = Seq(init[1], "command").Select(n => ((YamlScalarNode)n).Value!).ToList();
        Assert.Equal(["dotnet", "/fmctl/fmctl.dll", "db", "init", "--storage", "PostgreSql"], schema);
        Assert.Equal("connection-string", SecretKeyOf(Seq(init[1], "env").Cast<YamlMappingNode>().ToList(), "ConnectionStrings__FactoryMesh"));
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tools", "deploy", "Dockerfile"));
        Assert.Contains("COPY --from=build /out/fmctl /fmctl", dockerfile, StringComparison.Ordinal);
        Assert.Contains("<AssemblyName>fmctl</AssemblyName>", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tools", "FactoryMesh.Cli", "FactoryMesh.Cli.csproj")), StringComparison.Ordinal);

        // Every mount names a volume of the pod.
        var volumes = Seq(pod, "volumes").Cast<YamlMappingNode>().Select(v => Text(v, "name")).ToHashSet(StringComparer.Ordinal);
        var mounts = init.Append(SiloContainer())
            .SelectMany(c => c.Children.ContainsKey(new YamlScalarNode("volumeMounts")) ? Seq(c, "volumeMounts").Cast<YamlMappingNode>() : [])
            .Select(m => Text(m, "name"));
        Assert.All(mounts, name => Assert.Contains(name, volumes));
    }

    [Fact]
    public void Selectors_rights_and_disruption_budget_agree_with_the_deployment()
    {
        var deployment = Deployment();
        var podLabels = Map(Map(Map(Map(deployment, "spec"), "template"), "metadata"), "labels");
        var selector = Map(Map(Map(deployment, "spec"), "selector"), "matchLabels");
        Assert.All(selector.Children, label => Assert.Equal(((YamlScalarNode)label.Value).Value, Text(podLabels, ((YamlScalarNode)label.Key).Value!)));

        var budget = Kind("PodDisruptionBudget");
        Assert.Equal("1", Text(Map(budget, "spec"), "maxUnavailable"));
        Assert.All(Map(Map(Map(budget, "spec"), "selector"), "matchLabels").Children, label => Assert.Equal(((YamlScalarNode)label.Value).Value, Text(podLabels, ((YamlScalarNode)label.Key).Value!)));
        Assert.True(int.Parse(Text(Map(deployment, "spec"), "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 3);

        var service = Kind("Service");
        Assert.All(Map(Map(service, "spec"), "selector").Children, label => Assert.Equal(((YamlScalarNode)label.Value).Value, Text(podLabels, ((YamlScalarNode)label.Key).Value!)));
        var containerPorts = Seq(SiloContainer(), "ports").Cast<YamlMappingNode>().Select(p => Text(p, "name")).ToHashSet(StringComparer.Ordinal);
        Assert.All(Seq(Map(service, "spec"), "ports").Cast<YamlMappingNode>(), p => Assert.Contains(Text(p, "targetPort"), containerPorts));

        // The pod's service account may do what Orleans' Kubernetes hosting does with pods.
        var account = Text(Map(Map(Map(deployment, "spec"), "template"), "spec"), "serviceAccountName");
        Assert.Equal(account, Text(Map(Kind("ServiceAccount"), "metadata"), "name"));
        var binding = Kind("RoleBinding");
        Assert.Contains(Seq(binding, "subjects").Cast<YamlMappingNode>(), s => Text(s, "kind") == "ServiceAccount" && Text(s, "name") == account);
        var role = Kind("Role");
        Assert.Equal(Text(Map(role, "metadata"), "name"), Text(Map(binding, "roleRef"), "name"));
        var rule = Assert.Single(Seq(role, "rules").Cast<YamlMappingNode>());
        Assert.Equal(["pods"], Seq(rule, "resources").Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal(["delete", "get", "list", "watch"], Seq(rule, "verbs").Select(n => ((YamlScalarNode)n).Value!).Order(StringComparer.Ordinal));
    }

    private static List<YamlMappingNode> Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(ManifestPath);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private YamlMappingNode Kind(string kind) => Assert.Single(_documents, d => Text(d, "kind") == kind);

    private YamlMappingNode Deployment() => Kind("Deployment");

    private YamlMappingNode SiloContainer() =>
        Assert.Single(Seq(Map(Map(Map(Deployment(), "spec"), "template"), "spec"), "containers").Cast<YamlMappingNode>(), c => Text(c, "name") == "silo");

    private static (string Path, string Port) Probe(YamlMappingNode container, string probe)
    {
        var get = Map(Map(container, probe), "httpGet");
        return (Text(get, "path"), Text(get, "port"));
    }

    private static string SecretKeyOf(IReadOnlyList<YamlMappingNode> env, string name) =>
        Text(Map(Map(Assert.Single(env, e => Text(e, "name") == name), "valueFrom"), "secretKeyRef"), "key");

    private static string FieldOf(IReadOnlyList<YamlMappingNode> env, string name) =>
        Text(Map(Map(Assert.Single(env, e => Text(e, "name") == name), "valueFrom"), "fieldRef"), "fieldPath");

    private static YamlMappingNode Map(YamlMappingNode node, string key) => Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => Assert.IsType<YamlSequenceNode>(node.Children[new YamlScalarNode(key)]);

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? string.Empty : string.Empty;
}
