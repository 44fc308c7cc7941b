"""Capture files as difftest shrinks them: a head and a list of units.

A pcap file is its 24-byte file header and its records (16-byte record
header and data); a pcapng file is its first section header block and the
blocks after it.  Bytes that do not parse as a record or block (a record
cut by the end of the file, a block whose length field lies, a file whose
magic is unknown) form one last unit of kind "raw", so that
``Capture.parse(data).to_bytes() == data`` for any bytes at all: the
shrinker can drop any unit, and the file it writes is the original's units
concatenated.

Inside a pcap record or a pcapng enhanced/simple packet block,
``Unit.packet()`` gives the captured bytes and ``Unit.with_packet(data)`` a
unit with other captured bytes, its length fields updated (the original
length keeps its distance to the captured length).

Writers: ``pcap_file()`` and ``pcapng_file()`` (used by the generators).
"""
import struct

PCAP_MAGIC_US = 0xa1b2c3d4
PCAP_MAGIC_NS = 0xa1b23c4d
PCAPNG_SHB = 0x0a0d0d0a
PCAPNG_BOM = 0x1a2b3c4d
PCAPNG_IDB = 1
PCAPNG_SPB = 3
PCAPNG_EPB = 6


class Unit:
    """One record (pcap), block (pcapng) or run of unparsed bytes (raw)."""

    __slots__ = ("kind", "data", "endian")

    def __init__(self, kind, data, endian="<"):
        self.kind = kind            # "rec", "block" or "raw"
        self.data = data
        self.endian = endian

    @property
    def block_type(self):
        if self.kind != "block":
            return None
        return struct.unpack(self.endian + "I", self.data[:4])[0]

    @property
    def is_packet(self):
        """A unit that holds one captured packet (libpcap counts it)."""
        return self.kind == "rec" or self.block_type in (PCAPNG_EPB, PCAPNG_SPB, 2)

    def packet(self):
        """The captured bytes, or None for a unit without a packet to edit."""
        e, d = self.endian, self.data
        if self.kind == "rec":
            return d[16:]
        if self.kind == "raw":
            return d
        t = self.block_type
        if t == PCAPNG_EPB and len(d) >= 32:
            cap = struct.unpack(e + "I", d[20:24])[0]
            if 28 + cap <= len(d) - 4:
                return d[28:28 + cap]
        if t == PCAPNG_SPB and len(d) >= 16:
            return d[12:-4]
        return None

    def with_packet(self, pkt):
        """A copy holding `pkt` as its captured bytes."""
        e, d = self.endian, self.data
        if self.kind == "raw":
            return Unit("raw", pkt, e)
        if self.kind == "rec":
            sec, frac, cap, wire = struct.unpack(e + "IIII", d[:16])
            wire = max(0, wire - (cap - len(pkt))) if wire >= cap else wire
            return Unit("rec", struct.pack(e + "IIII", sec, frac, len(pkt), wire) + pkt, e)
        t = self.block_type
        if t == PCAPNG_EPB:
            if_id, hi, lo, cap, orig = struct.unpack(e + "IIIII", d[8:28])
            old_end = 28 + cap + (-cap % 4)
            options = d[old_end:-4]
            orig = max(0, orig - (cap - len(pkt))) if orig >= cap else orig
            body = struct.pack(e + "IIIII", if_id, hi, lo, len(pkt), orig) + pkt
            body += b"\0" * (-len(pkt) % 4) + options
            return Unit("block", _block(e, PCAPNG_EPB, body), e)
        if t == PCAPNG_SPB:
            orig = struct.unpack(e + "I", d[8:12])[0]
            old = len(d) - 16
            orig = max(0, orig - (old - len(pkt))) if orig >= old else orig
            body = struct.pack(e + "I", orig) + pkt + b"\0" * (-len(pkt) % 4)
            return Unit("block", _block(e, PCAPNG_SPB, body), e)
        return self


def _block(e, btype, body):
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


class Capture:
    """A capture file: `head` (bytes kept as they are) and `units`."""

    def __init__(self, fmt, head, units):
        self.fmt = fmt              # "pcap", "pcapng" or "raw"
        self.head = head
        self.units = units

    def to_bytes(self, units=None):
        return self.head + b"".join(u.data for u in (self.units if units is None else units))

    def with_units(self, units):
        return Capture(self.fmt, self.head, list(units))

    @property
    def suffix(self):
        return ".pcapng" if self.fmt == "pcapng" else ".pcap"

    def packet_units(self):
        """Positions of the units that hold a packet, in file order: the
        unit of packet number k (pktNo, from 1) is packet_units()[k - 1]."""
        return [i for i, u in enumerate(self.units) if u.is_packet]

    def describe(self):
        n = sum(1 for u in self.units if u.is_packet)
        other = len(self.units) - n
        what = f"{n} record" + ("" if n == 1 else "s")
        if other:
            what += f" and {other} other unit" + ("" if other == 1 else "s")
        return what

    @staticmethod
    def parse(data):
        data = bytes(data)
        if len(data) >= 24:
            for e in "<>":
                magic = struct.unpack(e + "I", data[:4])[0]
                if magic in (PCAP_MAGIC_US, PCAP_MAGIC_NS):
                    return _parse_pcap(data, e)
        if len(data) >= 28 and data[:4] == b"\x0a\x0d\x0d\x0a":
            for e in "<>":
                if struct.unpack(e + "I", data[8:12])[0] == PCAPNG_BOM:
                    return _parse_pcapng(data, e)
        return Capture("raw", b"", [Unit("raw", data)] if data else [])


def _parse_pcap(data, e):
    units = []
    pos = 24
    while pos < len(data):
        if pos + 16 > len(data):
            break
        cap = struct.unpack_from(e + "I", data, pos + 8)[0]
        if pos + 16 + cap > len(data):
            break
        units.append(Unit("rec", data[pos:pos + 16 + cap], e))
        pos += 16 + cap
    if pos < len(data):
        units.append(Unit("raw", data[pos:], e))
    return Capture("pcap", data[:24], units)


def _parse_pcapng(data, e):
    first = struct.unpack(e + "I", data[4:8])[0]
    if first < 28 or first % 4 or first > len(data):
        return Capture("raw", b"", [Unit("raw", data)])
    units = []
    pos = first
    while pos + 12 <= len(data):
        btype = struct.unpack_from(e + "I", data, pos)[0]
        if btype == PCAPNG_SHB:                 # a new section: its byte order
            bom = data[pos + 8:pos + 12]
            for ee in "<>":
                if len(bom) == 4 and struct.unpack(ee + "I", bom)[0] == PCAPNG_BOM:
                    e = ee
        n = struct.unpack_from(e + "I", data, pos + 4)[0]
        if n < 12 or n % 4 or pos + n > len(data):
            break
        units.append(Unit("block", data[pos:pos + n], e))
        pos += n
    if pos < len(data):
        units.append(Unit("raw", data[pos:], e))
    return Capture("pcapng", data[:first], units)


# ------------------------------------------------------------------ writers

def pcap_file(linktype, snaplen, records, nano=False, big=False, version=(2, 4)):
    """A pcap file.  records: (seconds, sub-seconds, captured bytes, wire length)."""
    e = ">" if big else "<"
    out = [struct.pack(e + "IHHiIII", PCAP_MAGIC_NS if nano else PCAP_MAGIC_US,
                       version[0], version[1], 0, 0, snaplen & 0xffffffff,
                       linktype & 0xffffffff)]
    for sec, frac, data, wire in records:
        out.append(struct.pack(e + "IIII", sec & 0xffffffff, frac & 0xffffffff, len(data),
                               wire & 0xffffffff))
        out.append(data)
    return b"".join(out)


def _option(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def pcapng_file(interfaces, packets, big=False):
    """A pcapng file.  interfaces: (linktype, snaplen, tsresol exponent or
    None); packets: (interface, time in units of that resolution, captured
    bytes, wire length)."""
    e = ">" if big else "<"
    out = [_block(e, PCAPNG_SHB, struct.pack(e + "IHHq", PCAPNG_BOM, 1, 0, -1))]
    for linktype, snaplen, tsresol in interfaces:
        opts = b""
        if tsresol is not None:
            opts = _option(e, 9, bytes([tsresol])) + _option(e, 0, b"")
        out.append(_block(e, PCAPNG_IDB, struct.pack(e + "HHI", linktype, 0, snaplen) + opts))
    for if_id, t, data, wire in packets:
        t &= 0xffffffffffffffff
        body = struct.pack(e + "IIIII", if_id, t >> 32, t & 0xffffffff, len(data), wire)
        out.append(_block(e, PCAPNG_EPB, body + data + b"\0" * (-len(data) % 4)))
    return b"".join(out)
