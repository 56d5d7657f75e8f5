using System.Net;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Networking.Tests.L2;

/// <summary>
/// Property tests: codecs round-trip, arbitrary or mutated frames never throw, and the responder never answers
/// for an address it does not own, whatever it is fed.
/// </summary>
public sealed class ResponderFuzzTests
{
    private const int Many = 2000;

    private static Gen<MacAddress> Macs => Gen.Choose(0, int.MaxValue).Two().Select(t => MacAddress.Read(
        [(byte)(t.Item1 & 0xFE), (byte)(t.Item1 >> 8), (byte)(t.Item1 >> 16), (byte)t.Item2, (byte)(t.Item2 >> 8), (byte)(t.Item2 >> 16)]));

    private static Gen<IPAddress> Ipv4 => Gen.Choose(int.MinValue, int.MaxValue).Select(i => new IPAddress(BitConverter.GetBytes(i)));

    private static Gen<IPAddress> Ipv6 => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 16)
        .Where(b => b[0] != 0xff).Select(b => new IPAddress(b));

    [Property(MaxTest = Many)]
    public Property Arp_round_trips()
    {
        var packets = from op in Gen.Elements(ArpOperation.Request, ArpOperation.Reply)
                      from sm in Macs
                      from si in Ipv4
                      from tm in Macs
                      from ti in Ipv4
                      select new ArpPacket(op, sm, si, tm, ti);
        return Prop.ForAll(packets.ToArbitrary(), p =>
        {
            var frame = p.ToFrame(MacAddress.Broadcast, p.SenderMac);
            return ArpPacket.TryDecode(frame.AsSpan(EthernetFields.HeaderLength), out var decoded, out _) && decoded == p;
        });
    }

    [Property(MaxTest = Many)]
    public Property Neighbor_discovery_round_trips()
    {
        var messages = from type in Gen.Elements(NeighborDiscoveryType.NeighborSolicitation, NeighborDiscoveryType.NeighborAdvertisement)
                       from source in Ipv6
                       from target in Ipv6
                       from sll in Gen.OneOf(Macs.Select(m => (MacAddress?)m), Gen.Constant((MacAddress?)null))
                       from tll in Gen.OneOf(Macs.Select(m => (MacAddress?)m), Gen.Constant((MacAddress?)null))
                       from flags in Gen.Elements(NeighborAdvertisementFlags.None, NeighborAdvertisementFlags.Override, NeighborAdvertisementFlags.Solicited | NeighborAdvertisementFlags.Override | NeighborAdvertisementFlags.Router)
                       select type == NeighborDiscoveryType.NeighborSolicitation
                           ? new NeighborDiscoveryMessage(type, source, Ipv6Multicast.SolicitedNode(target), target, NeighborAdvertisementFlags.None, sll, tll)
                           : new NeighborDiscoveryMessage(type, source, source, target, flags, sll, tll);
        return Prop.ForAll(messages.ToArbitrary(), m =>
        {
            var packet = new byte[m.EncodedLength];
            m.Encode(packet);
            return NeighborDiscoveryMessage.TryDecode(packet, out var decoded, out _) && decoded == m;
        });
    }

    [Property(MaxTest = Many)]
    public Property Arbitrary_bytes_never_throw_and_never_get_an_answer_for_a_non_owned_address()
    {
        var frames = Gen.Choose(0, 1600).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n));
        return Prop.ForAll(frames.ToArbitrary(), frame => AnswersOnlyForOwned(frame));
    }

    [Property(MaxTest = Many)]
    public Property Mutated_valid_requests_never_throw_and_never_get_an_answer_for_a_non_owned_address()
    {
        var seeds = Gen.Elements(
            NeighborResponderTests.ArpRequest(NeighborResponderTests.Owned4),
            NeighborResponderTests.ArpRequest(IPAddress.Parse("198.18.0.101")),
            NeighborResponderTests.Solicitation(NeighborResponderTests.Owned6, IPAddress.Parse("fd00:beac::2")),
            NeighborResponderTests.Solicitation(IPAddress.Parse("fd00:beac::101"), IPAddress.Parse("fd00:beac::2")),
            NeighborResponderTests.Solicitation(NeighborResponderTests.Owned6, IPAddress.IPv6Any, withSourceOption: false));
        var mutations = from seed in seeds
                        from count in Gen.Choose(0, 4)
                        from flips in Gen.ListOf(Gen.Choose(0, 200).Two(), count)
                        from cut in Gen.Choose(-30, 30)
                        select Mutate(seed, flips, cut);
        return Prop.ForAll(mutations.ToArbitrary(), frame => AnswersOnlyForOwned(frame));
    }

    private static byte[] Mutate(byte[] seed, IEnumerable<(int Position, int Value)> flips, int cut)
    {
        var frame = new byte[Math.Max(0, seed.Length + cut)];
        seed.AsSpan(0, Math.Min(seed.Length, frame.Length)).CopyTo(frame);
        foreach (var (position, value) in flips)
        {
            if (frame.Length > 0)
            {
                frame[position % frame.Length] = (byte)value;
            }
        }

        return frame;
    }

    private static bool AnswersOnlyForOwned(byte[] frame)
    {
        var decision = NeighborResponder.Decide(frame, NeighborResponderTests.Owned, NeighborResponderTests.Ours);
        if (decision.Verdict != ResponderVerdict.Answer)
        {
            return decision.Reply is null;
        }

        var reply = decision.Reply!.AsSpan(EthernetFields.HeaderLength);
        if (ArpPacket.TryDecode(reply, out var arp, out _))
        {
            return arp!.Operation == ArpOperation.Reply && NeighborResponderTests.Owned.Contains(arp.SenderIp) && arp.SenderMac == NeighborResponderTests.Ours;
        }

        return NeighborDiscoveryMessage.TryDecode(reply, out var na, out _) &&
               na!.Type == NeighborDiscoveryType.NeighborAdvertisement &&
               NeighborResponderTests.Owned.Contains(na.Target) &&
               na.TargetLinkLayerAddress == NeighborResponderTests.Ours;
    }
}
