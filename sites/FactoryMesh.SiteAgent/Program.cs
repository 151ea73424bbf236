using FactoryMesh.SiteAgent;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.Sites;
using FactoryMesh.SiteAgent.Verbs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// FactoryMesh.SiteAgent [run] [options] | vendor-root | verifier-issuers | tee-key | reference-values | site-request | --help
string[] verbs = ["run", "vendor-root", "verifier-issuers", "tee-key", "reference-values", "site-request"];
if (args.Any(a => a is "--help" or "-h" or "help"))
{
    Console.WriteLine(AgentCommandLine.Usage);
    return 0;
}

var verb = args.Length > 0 && verbs.Contains(args[0]) ? args[0] : "run";
var rest = args.Length > 0 && verbs.Contains(args[0]) ? args[1..] : args;
try
{
    if (verb != "run")
    {
        return AgentVerbs.Run(verb, rest, Console.Out);
    }

    using var host = SiteAgentHost.CreateBuilder(rest).Build();
    host.Services.GetRequiredService<IStartupValidator>().Validate(); // bad settings: one line each, not a host failure trace
    await host.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OptionsValidationException exception)
{
    await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, exception.Failures)).ConfigureAwait(false);
    return 2;
}
catch (AggregateException exception) when (exception.InnerExceptions.All(e => e is OptionsValidationException))
{
    var failures = exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
    await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, failures)).ConfigureAwait(false);
    return 2;
}
catch (Exception exception) when (exception is InvalidSiteFileException or FileNotFoundException or InvalidOperationException or ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
{
    await Console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
    return 1;
}
