using System.Security.Cryptography;

namespace FactoryMesh.Core.Keys;

/// <summary>A wrapped data key that the vault refuses to unwrap: malformed, altered, or wrapped for another tenant or by another vault.</summary>
public sealed class KeyUnwrapException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    public KeyUnwrapException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KeyUnwrapException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KeyUnwrapException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
