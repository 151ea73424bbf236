using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>RFC 7807 answers the API gives, in one place so their titles stay consistent.</summary>
public static class Problems
{
    /// <summary>400 naming every field that broke a rule.</summary>
    public static IResult Invalid(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request is not valid.");
    }

    /// <summary>400 for one field.</summary>
    public static IResult Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    /// <summary>403: the caller is authenticated but may not act on this resource.</summary>
    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.");

    /// <summary>404 for a resource that does not exist.</summary>
    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    /// <summary>409: the request conflicts with the resource's current state.</summary>
    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
}
