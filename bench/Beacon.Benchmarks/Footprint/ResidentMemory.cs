using System.Globalization;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// Where a process's RSS is, from the Rss of each mapping in /proc/PID/smaps: its own executable (code, read-only data
/// and, for the JIT, the dotnet host), anonymous memory (GC heap, a NativeAOT executable's rehydrated data, thread stacks,
/// malloc), OpenSSL (libcrypto and libssl, which .NET loads for its random numbers whether TLS is used or not), and every
/// other file (other shared libraries and, on the JIT, the framework's assemblies).
/// </summary>
internal sealed record ResidentMemory(double ExecutableMib, double AnonymousMib, double OpenSslMib, double OtherFilesMib)
{
    public static ResidentMemory? Read(int pid)
    {
        try
        {
            var executable = File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: true)?.FullName;
            long exe = 0, anonymous = 0, openSsl = 0, other = 0;
            var path = "";
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !line.EndsWith(':'))
                {
                    path = fields.Length == 6 ? fields[5].Trim() : "";
                    continue;
                }

                if (!line.StartsWith("Rss:", StringComparison.Ordinal))
                    continue;
                var kib = long.Parse(fields[1], CultureInfo.InvariantCulture);
                if (path == executable)
                    exe += kib;
                else if (path.Length == 0 || path.StartsWith('['))
                    anonymous += kib;
                else if (path.Contains("/libcrypto.so", StringComparison.Ordinal) || path.Contains("/libssl.so", StringComparison.Ordinal))
                    openSsl += kib;
                else
                    other += kib;
            }

            return new ResidentMemory(exe / 1024.0, anonymous / 1024.0, openSsl / 1024.0, other / 1024.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process ended
        }
    }
}
