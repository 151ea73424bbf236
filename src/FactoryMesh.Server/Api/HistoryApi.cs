using FactoryMesh.Core.Validation;
using FactoryMesh.Server.History;

namespace FactoryMesh.Server.Api;

/// <summary>The recent past for the dashboard's trend charts: <c>/api/v1/history</c>.</summary>
public static class HistoryApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        // Readable by every caller who may list the sites: the same per-site figures, over time.
        app.MapGroup("/history").WithTags("History").MapGet("/sites", ReadSites);
        return app;
    }

    private static IResult ReadSites(SiteHistory history, TimeProvider clock, double? minutes = null)
    {
        var window = history.Window.TotalMinutes;
        var errors = new ValidationErrors();
        errors.AddIf(minutes is not null && (double.IsNaN(minutes.Value) || minutes <= 0 || minutes > window), "minutes", $"Must be more than 0 and at most {window:0.##} (the window this server keeps).");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(history.Read(clock.GetUtcNow() - TimeSpan.FromMinutes(minutes ?? window)));
    }
}
