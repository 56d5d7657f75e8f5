using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Beacon.Kube.Config;

/// <summary>Turns PEM text into certificates, with errors that name where the PEM came from.</summary>
internal static class PemCertificates
{
    public static X509Certificate2Collection LoadCollection(string pem, string origin)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException($"Certificate authority data from {origin} is not valid PEM: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new KubeConfigException($"Certificate authority data from {origin} contains no certificate.");
        }

        return collection;
    }

    public static X509Certificate2 LoadClientCertificate(string certPem, string keyPem, string origin)
    {
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certPem, keyPem);
            // Re-import as PKCS#12 so SslStream on Linux can use the ephemeral key.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException($"Client certificate/key from {origin} could not be loaded: {ex.Message}", ex);
        }
    }
}
