using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Beacon.Networking.Addresses;
using Beacon.Networking.Links;

namespace Beacon.Networking.Netlink;

/// <summary>
/// Encodes rtnetlink requests and decodes replies (RFC 3549; linux/rtnetlink.h, if_link.h, if_addr.h).
/// Pure: bytes in, bytes or records out.
/// </summary>
internal static class RtnetlinkCodec
{
    public const byte FamilyUnspecified = 0;
    public const byte FamilyInet = 2;
    public const byte FamilyInet6 = 10;

    // ifinfomsg attributes
    public const ushort IflaAddress = 1;
    public const ushort IflaIfName = 3;
    public const ushort IflaMtu = 4;
    public const ushort IflaOperState = 16;
    public const ushort IflaLinkInfo = 18;
    public const ushort IflaCarrier = 33;
    public const ushort IflaInfoKind = 1;

    // ifaddrmsg attributes
    public const ushort IfaAddress = 1;
    public const ushort IfaLocal = 2;
    public const ushort IfaLabel = 3;
    public const ushort IfaCacheInfo = 6;
    public const ushort IfaFlags = 8;
    public const ushort IfaProto = 11;

    public const int InterfaceInfoLength = 16;
    public const int AddressInfoLength = 8;

    private const ushort Request = NetlinkConstants.FlagRequest;
    private const ushort RequestAck = NetlinkConstants.FlagRequest | NetlinkConstants.FlagAck;

    public static byte[] DumpLinks(uint sequence) =>
        new NetlinkMessageWriter(NetlinkConstants.GetLink, Request | NetlinkConstants.FlagDump, sequence)
            .Raw(InterfaceInfo(FamilyUnspecified, 0, 0, 0))
            .ToArray();

    public static byte[] GetLink(string name, uint sequence) =>
        new NetlinkMessageWriter(NetlinkConstants.GetLink, Request, sequence)
            .Raw(InterfaceInfo(FamilyUnspecified, 0, 0, 0))
            .AttributeString(IflaIfName, name)
            .ToArray();

    public static byte[] NewLink(string name, string kind, uint sequence) =>
        new NetlinkMessageWriter(NetlinkConstants.NewLink, RequestAck | NetlinkConstants.FlagCreate | NetlinkConstants.FlagExclusive, sequence)
            .Raw(InterfaceInfo(FamilyUnspecified, 0, 0, 0))
            .AttributeString(IflaIfName, name)
            .BeginNested(IflaLinkInfo)
            .AttributeString(IflaInfoKind, kind)
            .EndNested()
            .ToArray();

    /// <summary>Sets or clears IFF_UP only (ifi_change masks the other flags).</summary>
    public static byte[] SetLinkUp(int index, bool up, uint sequence) =>
        new NetlinkMessageWriter(NetlinkConstants.NewLink, RequestAck, sequence)
            .Raw(InterfaceInfo(FamilyUnspecified, index, up ? (uint)LinkFlags.Up : 0, (uint)LinkFlags.Up))
            .ToArray();

    public static byte[] DeleteLink(int index, uint sequence) =>
        new NetlinkMessageWriter(NetlinkConstants.DeleteLink, RequestAck, sequence)
            .Raw(InterfaceInfo(FamilyUnspecified, index, 0, 0))
            .ToArray();

    public static byte[] DumpAddresses(byte family, uint sequence) =>
        new NetlinkMessageWriter(NetlinkConstants.GetAddress, Request | NetlinkConstants.FlagDump, sequence)
            .Raw(AddressInfo(family, 0, 0, 0, 0))
            .ToArray();

    /// <summary>Add, or replace an existing identical address (refreshing its lifetimes and flags).</summary>
    public static byte[] NewAddress(AddressRequest request, uint sequence)
    {
        ArgumentNullException.ThrowIfNull(request);
        var family = FamilyOf(request.Address);
        var flags = AddressFlags.None;
        if (family == FamilyInet6 && request.SkipDuplicateAddressDetection)
        {
            flags |= AddressFlags.NoDad;
        }

        if (request.NoPrefixRoute)
        {
            flags |= AddressFlags.NoPrefixRoute;
        }

        var address = request.Address.GetAddressBytes();
        var writer = new NetlinkMessageWriter(
                NetlinkConstants.NewAddress,
                RequestAck | NetlinkConstants.FlagCreate | NetlinkConstants.FlagReplace,
                sequence)
            .Raw(AddressInfo(family, (byte)request.PrefixLength, (byte)flags, 0, request.InterfaceIndex))
            .Attribute(IfaLocal, address)
            .Attribute(IfaAddress, address)
            .AttributeU32(IfaFlags, (uint)flags);
        if (request.Label is not null && family == FamilyInet)
        {
            writer.AttributeString(IfaLabel, request.Label);
        }

        if (request.ValidLifetime is not null || request.PreferredLifetime is not null)
        {
            var valid = AddressLifetime.ToWire(request.ValidLifetime);
            var preferred = Math.Min(valid, AddressLifetime.ToWire(request.PreferredLifetime ?? request.ValidLifetime, minimum: 0));
            Span<byte> cache = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(cache, preferred);
            BinaryPrimitives.WriteUInt32LittleEndian(cache[4..], valid);
            writer.Attribute(IfaCacheInfo, cache);
        }

        if (request.Protocol != 0)
        {
            writer.AttributeU8(IfaProto, request.Protocol);
        }

        return writer.ToArray();
    }

    public static byte[] DeleteAddress(int index, IPAddress address, int prefixLength, uint sequence)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        return new NetlinkMessageWriter(NetlinkConstants.DeleteAddress, RequestAck, sequence)
            .Raw(AddressInfo(FamilyOf(address), (byte)prefixLength, 0, 0, index))
            .Attribute(IfaLocal, bytes)
            .Attribute(IfaAddress, bytes)
            .ToArray();
    }

    public static LinkInfo? DecodeLink(NetlinkMessage message)
    {
        if (message.Type is not (NetlinkConstants.NewLink or NetlinkConstants.DeleteLink) || message.Payload.Length < InterfaceInfoLength)
        {
            return null;
        }

        var header = message.Payload.Span;
        var index = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var attributes = NetlinkAttributes.Parse(message.Payload[InterfaceInfoLength..]);
        var mac = attributes.Bytes(IflaAddress) is { Length: MacAddress.Length } m ? MacAddress.Read(m.Span) : (MacAddress?)null;
        var carrier = attributes.U8(IflaCarrier) is { } c ? c != 0 : (flags & LinkFlags.LowerUp) != 0;
        return new LinkInfo(
            index,
            attributes.String(IflaIfName) ?? "",
            mac,
            flags,
            (LinkOperationalState)(attributes.U8(IflaOperState) ?? 0),
            carrier,
            attributes.Nested(IflaLinkInfo)?.String(IflaInfoKind),
            (int)(attributes.U32(IflaMtu) ?? 0));
    }

    public static InterfaceAddress? DecodeAddress(NetlinkMessage message)
    {
        if (message.Type is not (NetlinkConstants.NewAddress or NetlinkConstants.DeleteAddress) || message.Payload.Length < AddressInfoLength)
        {
            return null;
        }

        var header = message.Payload.Span;
        var family = header[0];
        var attributes = NetlinkAttributes.Parse(message.Payload[AddressInfoLength..]);
        var size = family switch
        {
            FamilyInet => 4,
            FamilyInet6 => 16,
            _ => 0,
        };
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
        var raw = attributes.Bytes(IfaLocal) ?? attributes.Bytes(IfaAddress);
        if (size == 0 || raw is null || raw.Value.Length != size)
        {
            return null;
        }

        var lifetime = AddressLifetime.Permanent;
        if (attributes.Bytes(IfaCacheInfo) is { Length: >= 8 } cache)
        {
            lifetime = new AddressLifetime(
                AddressLifetime.FromWire(BinaryPrimitives.ReadUInt32LittleEndian(cache.Span[4..])),
                AddressLifetime.FromWire(BinaryPrimitives.ReadUInt32LittleEndian(cache.Span)));
        }

        return new InterfaceAddress(
            (int)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
            new IPAddress(raw.Value.Span),
            header[1],
            (AddressFlags)(attributes.U32(IfaFlags) ?? header[2]),
            header[3],
            attributes.String(IfaLabel),
            attributes.U8(IfaProto) ?? 0,
            lifetime);
    }

    /// <summary>Decodes an NLMSG_ERROR payload: errno (positive; 0 = ACK) and the extended-ack text if any.</summary>
    public static (int Errno, string? Message) DecodeError(NetlinkMessage message)
    {
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            return (NetlinkException.EInval, "truncated NLMSG_ERROR");
        }

        var errno = -BinaryPrimitives.ReadInt32LittleEndian(payload.Span);
        string? text = null;
        if ((message.Flags & NetlinkConstants.FlagAckTlvs) != 0 && payload.Length >= 4 + NetlinkConstants.HeaderLength)
        {
            var echoedLength = (message.Flags & NetlinkConstants.FlagCapped) != 0
                ? NetlinkConstants.HeaderLength
                : (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.Span[4..]);
            var start = 4 + NetlinkConstants.Align(echoedLength);
            if (echoedLength >= NetlinkConstants.HeaderLength && start <= payload.Length)
            {
                text = NetlinkAttributes.Parse(payload[start..]).String(NetlinkConstants.ErrorAttributeMessage);
            }
        }

        return (errno, text);
    }

    public static byte FamilyOf(IPAddress address) =>
        address?.AddressFamily switch
        {
            AddressFamily.InterNetwork => FamilyInet,
            AddressFamily.InterNetworkV6 => FamilyInet6,
            _ => throw new ArgumentException($"not an IPv4 or IPv6 address: {address}", nameof(address)),
        };

    private static byte[] InterfaceInfo(byte family, int index, uint flags, uint change)
    {
        var bytes = new byte[InterfaceInfoLength];
        bytes[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), change);
        return bytes;
    }

    private static byte[] AddressInfo(byte family, byte prefixLength, byte flags, byte scope, int index)
    {
        var bytes = new byte[AddressInfoLength];
        bytes[0] = family;
        bytes[1] = prefixLength;
        bytes[2] = flags;
        bytes[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), index);
        return bytes;
    }
}
