#!/usr/bin/env python3
"""Every float32/float64 field of real flight logs as columns, for `StoreBench --float-columns FILE`.

    python3 Benchmarks/StoreBench/extract_float_columns.py OUT.bin [LOG_DIR]

LOG_DIR defaults to ../shared/realdata/flightlogs (see its SOURCES.md): the ArduPilot VTOL .tlog
(pymavlink, every `float` field of every message), the ArduPilot DataFlash .BIN (pymavlink's DFReader,
`f`/`d` fields) and the two PX4 .ulg files (a minimal ULog reader below: every float/double field of
every logged topic, nested fields and arrays flattened). Values are kept in log order per column and
written exactly (float32 as float32). Columns with fewer than 16 values are left out.

Output, per column: u8 name length, name (UTF-8), u8 type (0 float32, 1 float64), u32 count,
count little-endian values.
"""
import struct, sys, collections
from pymavlink import mavutil, DFReader
cols = collections.OrderedDict()
def add(name, typ, v):
    cols.setdefault((name, typ), []).append(v)

def tlog(path, tag):
    m = mavutil.mavlink_connection(path, dialect='ardupilotmega')
    while True:
        msg = m.recv_match()
        if msg is None: break
        t = msg.get_type()
        if t == 'BAD_DATA': continue
        for fname, ftype in zip(msg.fieldnames, getattr(msg, 'fieldtypes', [])):
            if ftype == 'float':
                v = getattr(msg, fname)
                if isinstance(v, float): add(f"{tag}:{t}.{fname}", 0, v)

def binlog(path, tag):
    m = DFReader.DFReader_binary(path)
    while True:
        try:
            msg = m.recv_msg()
        except Exception: break
        if msg is None: break
        fmt = msg.fmt
        for i, c in enumerate(fmt.format):
            if c in 'f':
                add(f"{tag}:{fmt.name}.{fmt.columns[i]}", 0, getattr(msg, fmt.columns[i]))
            elif c == 'd':
                add(f"{tag}:{fmt.name}.{fmt.columns[i]}", 1, getattr(msg, fmt.columns[i]))

def ulog(path, tag):
    data = open(path, 'rb').read()
    assert data[:7] == b'ULog\x01\x12\x35'
    pos = 16
    formats = {}; subs = {}
    sizes = {'int8_t':1,'uint8_t':1,'bool':1,'char':1,'int16_t':2,'uint16_t':2,'int32_t':4,'uint32_t':4,'int64_t':8,'uint64_t':8,'float':4,'double':8}
    def layout(name):
        out = []; off = 0
        for field in formats[name].split(';'):
            if not field: continue
            typ, fname = field.split(' ')
            n = 1
            if '[' in typ:
                typ, n = typ[:-1].split('['); n = int(n)
            if typ in sizes:
                for k in range(n):
                    out.append((fname if n == 1 else f"{fname}[{k}]", typ, off)); off += sizes[typ]
            else:
                sub, soff = layout(typ)
                for k in range(n):
                    for (sn, st, so) in sub:
                        out.append((f"{fname}.{sn}" if n == 1 else f"{fname}[{k}].{sn}", st, off + so))
                    off += soff
        return out, off
    while pos + 3 <= len(data):
        size, mt = struct.unpack_from('<HB', data, pos); body = data[pos+3:pos+3+size]; pos += 3 + size
        if len(body) < size: break
        if mt == ord('F'):
            s = body.decode('latin1'); name, f = s.split(':', 1); formats[name] = f
        elif mt == ord('A'):
            multi, msgid = struct.unpack_from('<BH', body); name = body[3:].decode('latin1')
            subs[msgid] = (name, multi, layout(name)[0])
        elif mt == ord('D'):
            msgid, = struct.unpack_from('<H', body)
            if msgid not in subs: continue
            name, multi, lay = subs[msgid]
            for (fname, typ, off) in lay:
                if fname.startswith('_padding'): continue
                if typ == 'float' and 2 + off + 4 <= len(body):
                    add(f"{tag}:{name}{multi}.{fname}", 0, struct.unpack_from('<f', body, 2 + off)[0])
                elif typ == 'double' and 2 + off + 8 <= len(body):
                    add(f"{tag}:{name}{multi}.{fname}", 1, struct.unpack_from('<d', body, 2 + off)[0])

D = (sys.argv[2] if len(sys.argv) > 2 else '../shared/realdata/flightlogs').rstrip('/') + '/'
tlog(D + 'UAVLogViewer__vtol.tlog', 'vtol.tlog')
binlog(D + 'pymavlink__test.BIN', 'test.BIN')
ulog(D + 'pyulog__sample.ulg', 'sample.ulg')
ulog(D + 'pyulog__sample_log_small.ulg', 'small.ulg')
with open(sys.argv[1], 'wb') as f:
    total = 0
    for (name, typ), vs in cols.items():
        if len(vs) < 16: continue
        nb = name.encode()
        f.write(struct.pack('<B', len(nb)) + nb + struct.pack('<BI', typ, len(vs)))
        f.write(struct.pack('<%d%s' % (len(vs), 'f' if typ == 0 else 'd'), *vs))
        total += len(vs)
print(len(cols), 'columns', total, 'values')
