using System.Net;
using System.Net.Sockets;
using Beacon.Networking.Addresses;
using Beacon.Networking.Links;
using Beacon.Networking.Native;

namespace Beacon.Networking.Netlink;

/// <summary>
/// Requests to the kernel's routing subsystem over one NETLINK_ROUTE socket: links and addresses. Calls are
/// synchronous (the kernel answers in microseconds) and serialized; every request asks for an ACK, so failures
/// surface as <see cref="NetlinkException"/> naming the operation. The socket stays in the network namespace it
/// was opened in (see <see cref="OpenInNamespace"/>).
/// </summary>
public sealed class RouteNetlinkClient : IDisposable
{
    private readonly Socket _socket;
    private readonly Lock _gate = new();
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private readonly List<NetlinkMessage> _messages = [];
    private uint _sequence;

    private RouteNetlinkClient(Socket socket)
    {
        _socket = socket;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>How long to wait for the kernel's answer before giving up (default 5 s).</summary>
    public TimeSpan Timeout
    {
        get => TimeSpan.FromMilliseconds(_socket.ReceiveTimeout);
        set => _socket.ReceiveTimeout = (int)value.TotalMilliseconds;
    }

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    public static RouteNetlinkClient Open()
    {
        var socket = NetlinkSocketFactory.Open(groups: 0);
        return new RouteNetlinkClient(socket) { Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Opens a socket inside the named network namespace (<c>ip netns</c> name or a path).</summary>
    public static RouteNetlinkClient OpenInNamespace(string namespaceName) => NetworkNamespaceScope.Run(namespaceName, Open);

    public IReadOnlyList<LinkInfo> ListLinks()
    {
        var links = new List<LinkInfo>();
        Dump("list links", RtnetlinkCodec.DumpLinks, m =>
        {
            if (RtnetlinkCodec.DecodeLink(m) is { } link)
            {
                links.Add(link);
            }
        });
        return links;
    }

    /// <summary>The link named <paramref name="name"/>, or null when there is none.</summary>
    public LinkInfo? GetLink(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        LinkInfo? found = null;
        try
        {
            Request($"get link {name}", s => RtnetlinkCodec.GetLink(name, s), m => found ??= RtnetlinkCodec.DecodeLink(m));
        }
        catch (NetlinkException e) when (e.Errno == NetlinkException.ENoDev)
        {
            return null;
        }

        return found;
    }

    public LinkInfo GetRequiredLink(string name) =>
        GetLink(name) ?? throw new NetlinkException($"get link {name}", NetlinkException.ENoDev, "no such interface");

    public void SetLinkUp(string name, bool up)
    {
        var link = GetRequiredLink(name);
        Request($"set link {name} {(up ? "up" : "down")}", s => RtnetlinkCodec.SetLinkUp(link.Index, up, s), null);
    }

    /// <summary>Creates a link of <paramref name="kind"/> ("dummy", "bridge", "ifb"…); fails with EEXIST if present.</summary>
    public LinkInfo CreateLink(string name, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        Request($"create link {name} of kind {kind}", s => RtnetlinkCodec.NewLink(name, kind, s), null);
        return GetRequiredLink(name);
    }

    public void DeleteLink(string name)
    {
        var link = GetRequiredLink(name);
        Request($"delete link {name}", s => RtnetlinkCodec.DeleteLink(link.Index, s), null);
    }

    /// <summary>All addresses, optionally only those of one interface.</summary>
    public IReadOnlyList<InterfaceAddress> ListAddresses(int? interfaceIndex = null)
    {
        var addresses = new List<InterfaceAddress>();
        Dump("list addresses", s => RtnetlinkCodec.DumpAddresses(RtnetlinkCodec.FamilyUnspecified, s), m =>
        {
            if (RtnetlinkCodec.DecodeAddress(m) is { } a && (interfaceIndex is null || a.InterfaceIndex == interfaceIndex))
            {
                addresses.Add(a);
            }
        });
        return addresses;
    }

    /// <summary>Adds the address, or replaces it (refreshing lifetimes, flags, label, protocol) when present.</summary>
    public void AddOrReplaceAddress(AddressRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request(
            $"add address {request.Address}/{request.PrefixLength} on interface {request.InterfaceIndex}",
            s => RtnetlinkCodec.NewAddress(request, s),
            null);
    }

    /// <summary>Removes the address; returns false when it was not there.</summary>
    public bool DeleteAddress(int interfaceIndex, IPAddress address, int prefixLength)
    {
        try
        {
            Request(
                $"delete address {address}/{prefixLength} on interface {interfaceIndex}",
                s => RtnetlinkCodec.DeleteAddress(interfaceIndex, address, prefixLength, s),
                null);
            return true;
        }
        catch (NetlinkException e) when (e.Errno is NetlinkException.EAddrNotAvail or NetlinkException.ENoDev)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds or replaces many addresses, pipelined: requests go out in batches within single datagrams and the
    /// ACKs are collected afterwards, so 1,000 addresses cost a few dozen system calls instead of 2,000.
    /// Returns one entry per request: null when it succeeded, else the kernel's refusal.
    /// </summary>
    public IReadOnlyList<NetlinkException?> AddOrReplaceAddresses(IReadOnlyList<AddressRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return ExchangeBatch(
            requests.Count,
            i => $"add address {requests[i].Address}/{requests[i].PrefixLength} on interface {requests[i].InterfaceIndex}",
            (i, s) => RtnetlinkCodec.NewAddress(requests[i], s));
    }

    /// <summary>Deletes many addresses, pipelined like <see cref="AddOrReplaceAddresses"/>; a missing address is not an error.</summary>
    public IReadOnlyList<NetlinkException?> DeleteAddresses(IReadOnlyList<(int InterfaceIndex, IPAddress Address, int PrefixLength)> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var results = ExchangeBatch(
            addresses.Count,
            i => $"delete address {addresses[i].Address}/{addresses[i].PrefixLength} on interface {addresses[i].InterfaceIndex}",
            (i, s) => RtnetlinkCodec.DeleteAddress(addresses[i].InterfaceIndex, addresses[i].Address, addresses[i].PrefixLength, s));
        return [.. results.Select(e => e?.Errno is NetlinkException.EAddrNotAvail ? null : e)];
    }

    public void Dispose() => _socket.Dispose();

    private const int BatchSize = 64;

    private NetlinkException?[] ExchangeBatch(int count, Func<int, string> describe, Func<int, uint, byte[]> encode)
    {
        var results = new NetlinkException?[count];
        lock (_gate)
        {
            for (var start = 0; start < count; start += BatchSize)
            {
                var end = Math.Min(count, start + BatchSize);
                var first = _sequence + 1;
                var datagram = new List<byte>((end - start) * 96);
                for (var i = start; i < end; i++)
                {
                    datagram.AddRange(encode(i, ++_sequence));
                }

                var pending = end - start;
                try
                {
                    _socket.Send(datagram.ToArray());
                    while (pending > 0)
                    {
                        var received = _socket.Receive(_receiveBuffer);
                        _messages.Clear();
                        _ = NetlinkMessage.TryParseAll(_receiveBuffer.AsMemory(0, received), _messages);
                        foreach (var message in _messages)
                        {
                            var index = (long)message.Sequence - first + start;
                            if (message.Type != NetlinkConstants.MessageError || index < start || index >= end)
                            {
                                continue;
                            }

                            var (errno, text) = RtnetlinkCodec.DecodeError(message);
                            results[index] = errno == 0 ? null : new NetlinkException(describe((int)index), errno, text);
                            pending--;
                        }
                    }
                }
                catch (SocketException e)
                {
                    throw new NetlinkException($"{describe(start)} (batch of {end - start}): netlink socket error {e.SocketErrorCode}", e);
                }
            }
        }

        return results;
    }

    private void Dump(string operation, Func<uint, byte[]> encode, Action<NetlinkMessage> onMessage)
    {
        // A dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is inconsistent: retry it a few times.
        for (var attempt = 0; ; attempt++)
        {
            var interrupted = false;
            var items = new List<NetlinkMessage>();
            Exchange(operation, encode, m =>
            {
                interrupted |= (m.Flags & NetlinkConstants.FlagDumpInterrupted) != 0;
                items.Add(m);
            });
            if (!interrupted || attempt >= 3)
            {
                items.ForEach(onMessage);
                return;
            }
        }
    }

    private void Request(string operation, Func<uint, byte[]> encode, Action<NetlinkMessage>? onMessage) =>
        Exchange(operation, encode, onMessage ?? (_ => { }));

    private void Exchange(string operation, Func<uint, byte[]> encode, Action<NetlinkMessage> onMessage)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            var request = encode(sequence);
            try
            {
                _socket.Send(request);
                while (true)
                {
                    var received = _socket.Receive(_receiveBuffer);
                    _messages.Clear();
                    _ = NetlinkMessage.TryParseAll(_receiveBuffer.AsMemory(0, received), _messages);
                    foreach (var message in _messages)
                    {
                        if (message.Sequence != sequence)
                        {
                            continue; // a late answer to an earlier request that timed out
                        }

                        switch (message.Type)
                        {
                            case NetlinkConstants.MessageDone:
                                return;
                            case NetlinkConstants.MessageError:
                                var (errno, text) = RtnetlinkCodec.DecodeError(message);
                                if (errno != 0)
                                {
                                    throw new NetlinkException(operation, errno, text);
                                }

                                return;
                            default:
                                // Copy: the receive buffer is reused for the next datagram.
                                onMessage(message with { Payload = message.Payload.ToArray() });
                                if (!message.IsMultipart && (request.Length < 8 || (BitConverter.ToUInt16(request, 6) & NetlinkConstants.FlagAck) == 0))
                                {
                                    return; // a single answer to a plain GET
                                }

                                break;
                        }
                    }
                }
            }
            catch (SocketException e)
            {
                throw new NetlinkException($"{operation}: netlink socket error {e.SocketErrorCode}", e);
            }
        }
    }
}
