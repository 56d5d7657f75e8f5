using System.Text.Json;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// Reads the data of an allocation change as Beacon writes it (camelCase properties, each once, enums by name, no
/// escapes) in one pass, straight into the replica's shared strings and lists: what 10,000s of allocations repeat is
/// looked up from the bytes, not allocated again. The serializer's generic path (a read stack and a cached argument
/// array per message) was the largest cost of a live delivery (docs/benchmarks.md, bus). Anything else (a missing,
/// repeated or unknown property, a null where none is allowed, a number out of range, an escape) is left to the
/// serializer, so the result and the errors are exactly its own (a property test compares both paths).
/// </summary>
internal static class AllocationDataReader
{
    public static bool TryRead(ReadOnlySpan<byte> data, AllocationInterner interner, out AllocationChanged? allocation)
    {
        allocation = null;
        try
        {
            return TryReadCore(data, interner, out allocation);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> data, AllocationInterner interner, out AllocationChanged? allocation)
    {
        allocation = null;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        ServiceKey? service = null;
        IReadOnlyList<AllocatedAddress>? addresses = null;
        string? group = null, sharingKey = null, epoch = null;
        IReadOnlyList<ServicePort>? ports = null;
        IReadOnlyList<string>? readyNodes = null;
        TrafficPolicy? policy = null;
        long? sequence = null;
        AnnouncementPolicy? announce = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return false;
            }

            var property = Property(reader.ValueSpan);
            if (property < 0 || (seen & (1 << property)) != 0 || !reader.Read())
            {
                return false;
            }

            seen |= 1 << property;
            var ok = property switch
            {
                0 => TryReadService(ref reader, interner, out service),
                1 => TryReadAddresses(ref reader, interner, out addresses),
                2 => TryReadOptional(ref reader, interner, out group),
                3 => TryReadPorts(ref reader, interner, out ports),
                4 => TryReadPolicy(ref reader, out policy),
                5 => TryReadNodes(ref reader, interner, out readyNodes),
                6 => TryReadOptional(ref reader, interner, out sharingKey),
                7 => TryReadSequence(ref reader, out sequence),
                8 => TryReadString(ref reader, interner, out epoch),
                _ => TryReadAnnounce(ref reader, out announce),
            };
            if (!ok)
            {
                return false;
            }
        }

        // Every property but "announce" is required; the serializer names what is missing.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (seen & 0x1FF) != 0x1FF)
        {
            return false;
        }

        allocation = new AllocationChanged(service!, addresses!, group, ports!, policy!.Value, readyNodes!, sharingKey, sequence!.Value, epoch!, announce);
        return true;
    }

    private static int Property(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("service"u8) ? 0
        : name.SequenceEqual("addresses"u8) ? 1
        : name.SequenceEqual("serviceGroup"u8) ? 2
        : name.SequenceEqual("ports"u8) ? 3
        : name.SequenceEqual("externalTrafficPolicy"u8) ? 4
        : name.SequenceEqual("readyNodes"u8) ? 5
        : name.SequenceEqual("sharingKey"u8) ? 6
        : name.SequenceEqual("sequence"u8) ? 7
        : name.SequenceEqual("epoch"u8) ? 8
        : name.SequenceEqual("announce"u8) ? 9
        : -1;

    private static bool TryReadService(ref Utf8JsonReader reader, AllocationInterner interner, out ServiceKey? service)
    {
        service = null;
        string? ns = null, name = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            if (reader.ValueTextEquals("namespace"u8) && ns is null)
            {
                if (!reader.Read() || !TryReadString(ref reader, interner, out ns))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("name"u8) && name is null)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                {
                    return false;
                }

                // Each Service's own: not worth a lookup.
                name = reader.GetString();
            }
            else
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || ns is null || name is null)
        {
            return false;
        }

        service = new ServiceKey(ns, name);
        return true;
    }

    private static bool TryReadAddresses(ref Utf8JsonReader reader, AllocationInterner interner, out IReadOnlyList<AllocatedAddress>? addresses)
    {
        addresses = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        // One address (or two, dual-stack) per Service: the list is made once, at its size.
        AllocatedAddress? first = null;
        List<AllocatedAddress>? more = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (!TryReadAddress(ref reader, interner, out var address))
            {
                return false;
            }

            if (first is null)
            {
                first = address;
            }
            else
            {
                (more ??= [first]).Add(address!);
            }
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }

        addresses = more is not null ? [.. more] : first is not null ? new OneItemList<AllocatedAddress>(first) : [];
        return true;
    }

    private static bool TryReadAddress(ref Utf8JsonReader reader, AllocationInterner interner, out AllocatedAddress? address)
    {
        address = null;
        string? text = null, pool = null, subnet = null;
        int? prefix = null, aggregation = null;
        IpFamily? family = null;
        AddressPlacement? placement = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            var property = reader.ValueTextEquals("address"u8) ? 0
                : reader.ValueTextEquals("prefixLength"u8) ? 1
                : reader.ValueTextEquals("family"u8) ? 2
                : reader.ValueTextEquals("placement"u8) ? 3
                : reader.ValueTextEquals("pool"u8) ? 4
                : reader.ValueTextEquals("poolSubnet"u8) ? 5
                : reader.ValueTextEquals("aggregationPrefixLength"u8) ? 6
                : -1;
            if (property < 0 || (seen & (1 << property)) != 0 || !reader.Read())
            {
                return false;
            }

            seen |= 1 << property;
            var ok = property switch
            {
                0 => reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && (text = reader.GetString()) is not null,
                1 => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var p) && (prefix = p) is not null,
                2 => TryReadEnum(ref reader, "IPv4"u8, IpFamily.IPv4, "IPv6"u8, IpFamily.IPv6, out family),
                3 => TryReadEnum(ref reader, "Local"u8, AddressPlacement.Local, "Remote"u8, AddressPlacement.Remote, out placement),
                4 => TryReadString(ref reader, interner, out pool),
                5 => TryReadString(ref reader, interner, out subnet),
                _ => reader.TokenType == JsonTokenType.Null
                    || (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var a) && (aggregation = a) is not null),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || seen != 0x7F)
        {
            return false;
        }

        address = new AllocatedAddress(text!, prefix!.Value, family!.Value, placement!.Value, pool!, subnet!, aggregation);
        return true;
    }

    private static bool TryReadPorts(ref Utf8JsonReader reader, AllocationInterner interner, out IReadOnlyList<ServicePort>? ports)
    {
        ports = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var buffer = interner.PortBuffer;
        buffer.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int? port = null;
            string? protocol = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped)
                {
                    return false;
                }

                if (reader.ValueTextEquals("port"u8) && port is null)
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
                    {
                        return false;
                    }

                    port = value;
                }
                else if (reader.ValueTextEquals("protocol"u8) && protocol is null)
                {
                    if (!reader.Read() || !TryReadString(ref reader, interner, out protocol))
                    {
                        return false;
                    }
                }
                else
                {
                    return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || port is null || protocol is null)
            {
                return false;
            }

            buffer.Add(interner.Port(port.Value, protocol));
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }

        ports = interner.InternPorts(buffer);
        return true;
    }

    private static bool TryReadNodes(ref Utf8JsonReader reader, AllocationInterner interner, out IReadOnlyList<string>? nodes)
    {
        nodes = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var buffer = interner.NodeBuffer;
        buffer.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            if (!TryReadString(ref reader, interner, out var node))
            {
                return false;
            }

            buffer.Add(node!);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }

        nodes = interner.InternNodes(buffer);
        return true;
    }

    private static bool TryReadPolicy(ref Utf8JsonReader reader, out TrafficPolicy? policy) =>
        TryReadEnum(ref reader, "Cluster"u8, TrafficPolicy.Cluster, "Local"u8, TrafficPolicy.Local, out policy);

    private static bool TryReadEnum<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> firstName, T first, ReadOnlySpan<byte> secondName, T second, out T? value)
        where T : struct, Enum
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        value = reader.ValueSpan.SequenceEqual(firstName) ? first : reader.ValueSpan.SequenceEqual(secondName) ? second : null;
        return value is not null;
    }

    private static bool TryReadSequence(ref Utf8JsonReader reader, out long? sequence)
    {
        sequence = null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            return false;
        }

        sequence = value;
        return true;
    }

    private static bool TryReadString(ref Utf8JsonReader reader, AllocationInterner interner, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        value = interner.Intern(reader.ValueSpan);
        return true;
    }

    private static bool TryReadOptional(ref Utf8JsonReader reader, AllocationInterner interner, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null || TryReadString(ref reader, interner, out value);
    }

    private static bool TryReadAnnounce(ref Utf8JsonReader reader, out AnnouncementPolicy? announce)
    {
        announce = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        // Rare and varied: the serializer reads it (and its errors send the whole message to the serializer's path).
        announce = JsonSerializer.Deserialize(ref reader, ContractsJsonContext.Default.AnnouncementPolicy);
        return announce is not null;
    }
}
