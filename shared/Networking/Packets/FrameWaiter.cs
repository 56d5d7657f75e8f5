using System.Runtime.InteropServices;
using Beacon.Networking.Native;

namespace Beacon.Networking.Packets;

/// <summary>
/// Blocks one thread in poll(2) until a frame channel has frames, a deadline passes or another thread calls
/// <see cref="Wake"/> (an eventfd). Unlike <see cref="PcapFrameChannel.Receive"/>, whose SharpPcap read wakes every
/// 500 ms to look for a stop request, an idle wait here costs no wake-up at all: a watcher that is always on (the
/// NodeAgent's conflict watch) must cost nothing while the LAN is quiet.
/// </summary>
public sealed class FrameWaiter : IDisposable
{
    private readonly int _eventFd;

    public FrameWaiter()
    {
        _eventFd = Libc.EventFd(0, Libc.EfdCloexec | Libc.EfdNonblock);
        if (_eventFd < 0)
        {
            throw new System.Net.Sockets.SocketException(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Makes the current or next <see cref="Wait"/> return at once (thread-safe).</summary>
    public unsafe void Wake()
    {
        ulong one = 1;
        _ = Libc.Write(_eventFd, &one, sizeof(ulong));
    }

    /// <summary>
    /// Waits until one of <paramref name="channels"/> is readable, <paramref name="timeout"/> passes (null: no timeout)
    /// or <see cref="Wake"/> is called. Fills <paramref name="readable"/> with whether each channel is readable (or failed:
    /// its next receive reports why); returns whether it was woken.
    /// </summary>
    public unsafe bool Wait(IReadOnlyList<PcapFrameChannel> channels, TimeSpan? timeout, Span<bool> readable)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var fds = new Libc.PollFd[channels.Count + 1];
        fds[0] = new Libc.PollFd { Fd = _eventFd, Events = Libc.PollIn };
        for (var i = 0; i < channels.Count; i++)
        {
            fds[i + 1] = new Libc.PollFd { Fd = channels[i].Descriptor, Events = Libc.PollIn | Libc.PollPri };
        }

        var milliseconds = timeout is { } t ? (int)Math.Clamp(Math.Ceiling(t.TotalMilliseconds), 0, int.MaxValue) : -1;
        int result;
        fixed (Libc.PollFd* p = fds)
        {
            result = Libc.Poll(p, (nuint)fds.Length, milliseconds);
        }

        if (result < 0 && Marshal.GetLastPInvokeError() != Libc.EIntr)
        {
            throw new System.Net.Sockets.SocketException(Marshal.GetLastPInvokeError());
        }

        for (var i = 0; i < channels.Count && i < readable.Length; i++)
        {
            readable[i] = result > 0 && fds[i + 1].Revents != 0;
        }

        var woken = result > 0 && fds[0].Revents != 0;
        if (woken)
        {
            ulong value;
            _ = Libc.Read(_eventFd, &value, sizeof(ulong)); // resets the counter
        }

        return woken;
    }

    public void Dispose() => _ = Libc.Close(_eventFd);
}
