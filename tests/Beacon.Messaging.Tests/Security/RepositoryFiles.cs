namespace Beacon.Messaging.Tests.Security;

/// <summary>Files shipped in the repository (sample configs), found from the test binary's directory.</summary>
internal static class RepositoryFiles
{
    public static string Path(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Suite.sln")))
            {
                return System.IO.Path.Combine(directory.FullName, relative);
            }
        }

        throw new FileNotFoundException("repository root (Suite.sln) not found above " + AppContext.BaseDirectory);
    }
}
