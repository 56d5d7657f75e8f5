using System.ComponentModel;
using System.Runtime.InteropServices;
using Beacon.Networking.Native;

namespace Beacon.Networking;

/// <summary>
/// Runs code inside a named network namespace (<c>/var/run/netns/NAME</c>) on a dedicated thread. Sockets keep the
/// namespace they were created in, so a netlink or packet socket opened here keeps working there afterwards from
/// any thread. The calling thread's namespace never changes.
/// </summary>
public static class NetworkNamespaceScope
{
    public static T Run<T>(string namespaceName, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(namespaceName);
                result = action();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns " + namespaceName,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"action in network namespace '{namespaceName}' failed: {failure.Message}", failure);
        }

        return result;
    }

    public static void Run(string namespaceName, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _ = Run(namespaceName, () =>
        {
            action();
            return 0;
        });
    }

    private static void Enter(string namespaceName)
    {
        var path = namespaceName.StartsWith('/') ? namespaceName : "/var/run/netns/" + namespaceName;
        var fd = Libc.Open(path, Libc.ORdonly | Libc.OCloexec);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"cannot open network namespace {path}");
        }

        try
        {
            if (Libc.SetNs(fd, Libc.CloneNewNet) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns({path}) failed");
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}
