"""End to end: irrigation sensors through the running daemon into the store.

(a) Modbus RTU: pymodbus (the real peer) is the slave. Its RTU framer serves TCP, and socat bridges that
    TCP connection to a pseudo-terminal, so the daemon's master reads and writes genuine RTU frames (CRC
    and all) on a tty, as on an RS-485 adapter; pyserial, which pymodbus's serial server needs, is not in
    requirements.txt. Values land in the store exactly; a slave answering with exceptions is counted and
    polling of the others goes on.
(b) SDI-12: `furrow simulate sensors --sdi12` answers on a pty; what it sent is what the store holds.
(c) LoRaWAN: uplinks built here with the `cryptography` package (AES-CMAC MIC, AES keystream per LoRaWAN
    1.0.x) arrive as Semtech PUSH_DATA; decoded values land in the store; a replayed FCnt, an unknown
    DevAddr and malformed JSON are counted and do not stop the others.
"""
from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from test_daemon import Daemon, free_port

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def sensor_config(body: str, tmp: Path) -> str:
    return f'profile_directories = ["{REPO}/Hardware/profiles", "{tmp}/profiles"]\n' + body


def metric(daemon: Daemon, name: str, **labels: str) -> float:
    """Sum of a metric's series whose labels include `labels` (label order is the exporter's)."""
    total = 0.0
    for key, value in daemon.metrics().items():
        if not key.startswith(name + "{"):
            continue
        if all(f'{k}="{v}"' in key for k, v in labels.items()):
            total += value
    return total


def wait_for(condition, timeout: float = 30.0, minimum: float = 0.0) -> None:
    """Waits at least `minimum` seconds, then until `condition()` holds (at most `timeout`): a loaded machine
    gets more time instead of a failure, an idle one does not wait longer than needed."""
    time.sleep(minimum)
    deadline = time.time() + timeout
    while time.time() < deadline and not condition():
        time.sleep(0.2)


def stored(daemon: Daemon, source: str, group: str, channel: str) -> int:
    """Rows of a series in the store so far (0 while the series does not exist)."""
    try:
        return len(daemon.query(source, group, channel))
    except subprocess.CalledProcessError:
        return 0


def is_subsequence(items: list, of: list) -> bool:
    """Whether `items` appear in `of` in order (measurements that failed on the way are missing, none added)."""
    it = iter(of)
    return all(any(x == y for y in it) for x in items)


def floats(rows: list[tuple[str, str]]) -> list[float]:
    return [float(v) for _, v in rows]


# ---------------------------------------------------------------------------------------------- Modbus

SLAVE = r'''
import asyncio, sys
from pymodbus.datastore import ModbusDeviceContext, ModbusServerContext, ModbusSequentialDataBlock
from pymodbus.server import StartAsyncTcpServer
from pymodbus import FramerType
port = int(sys.argv[1])
soil = [253, 0xFF38, 612, 68, 40, 21, 133]              # 7-in-1 probe: 25.3 %, -20.0 degC, ...
flow = [0x0000, 0x4148, 0x4A3D, 0x449A, 0x5678, 0x0012]  # CDAB: 12.5 m3/h, 1234.32 m3, 0x00125678 L
ctx = ModbusServerContext(devices={
    1: ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, soil)),
    2: ModbusDeviceContext(ir=ModbusSequentialDataBlock(1, flow)),
    3: ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, [1, 2, 3])),   # too short: exception 02
}, single=False)
asyncio.run(StartAsyncTcpServer(context=ctx, framer=FramerType.RTU, address=("127.0.0.1", port)))
'''


def f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


class ModbusBench:
    """pymodbus serving RTU on TCP, and socat bridging it to a pty at `link` (stop/start = unplug/plug)."""

    def __init__(self, tmp_path: Path):
        self.port = free_port(socket.SOCK_STREAM)
        script = tmp_path / "slave.py"
        script.write_text(SLAVE)
        self.slave = subprocess.Popen([PYTHON, str(script), str(self.port)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                assert self.slave.poll() is None, self.slave.stderr.read().decode()
                time.sleep(0.1)
        self.link = tmp_path / "rs485"
        self.bridge: subprocess.Popen | None = None
        self.plug()

    def plug(self) -> None:
        self.bridge = subprocess.Popen(["socat", f"pty,raw,echo=0,link={self.link}", f"tcp:127.0.0.1:{self.port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not self.link.exists():
            assert self.bridge.poll() is None, "socat exited"
            time.sleep(0.05)

    def unplug(self) -> None:
        assert self.bridge is not None
        self.bridge.kill()
        self.bridge.wait()

    def close(self) -> None:
        self.unplug()
        self.slave.kill()
        self.slave.wait()


@pytest.fixture
def modbus_bench(tmp_path: Path):
    bench = ModbusBench(tmp_path)
    yield bench
    bench.close()


@pytest.fixture
def modbus_pty(modbus_bench: ModbusBench):
    return modbus_bench.link


def test_modbus_values_from_a_pymodbus_slave_land_in_the_store(furrow_bin: Path, tmp_path: Path, modbus_pty: Path):
    config = sensor_config(f'''
[[modbus]]
name = "bus"
device = "{modbus_pty}"
baud = 9600
response_timeout_ms = 300
retries = 0

[[modbus.slaves]]
unit = 1
profile = "rs485-soil-7in1"
interval_s = 0.4

[[modbus.slaves]]
unit = 2
profile = "modbus-flow-meter"
interval_s = 0.4

[[modbus.slaves]]
unit = 3
profile = "rs485-soil-7in1"
interval_s = 0.4
''', tmp_path)
    daemon = Daemon(furrow_bin, tmp_path / "data", config)
    daemon.start()
    try:
        wait_for(lambda: metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-1") >= 5
                 and metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-2") >= 3
                 and metric(daemon, "furrow_sensor_errors_total", source="modbus-bus-3", kind="exception") >= 3,
                 minimum=3)
        exceptions = metric(daemon, "furrow_sensor_errors_total", source="modbus-bus-3", kind="exception")
        readings_1 = metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-1")
        readings_3 = metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-3")
        health = daemon.health()
        assert health["status"] == "running"
        bus = [link for link in health["links"] if link["name"] == "bus"]
        assert bus and bus[0]["connected"] and bus[0]["endpoint"].startswith("modbus "), health
    finally:
        assert daemon.stop() == 0, daemon.log.read_text()
    log = daemon.log.read_text()
    assert exceptions >= 3, (exceptions, log)
    assert readings_3 == 0
    assert readings_1 >= 5, (readings_1, log)
    assert "illegal data address" in log.lower() or "exception" in log.lower(), log

    vwc = floats(daemon.query("modbus-bus-1", "reading", "vwc"))
    assert len(vwc) >= 5 and len(vwc) == readings_1
    assert set(vwc) == {253 * 0.1}
    assert set(floats(daemon.query("modbus-bus-1", "reading", "vwc_raw"))) == {253.0}
    assert set(floats(daemon.query("modbus-bus-1", "reading", "soil_temperature"))) == {-200 * 0.1}
    assert set(floats(daemon.query("modbus-bus-1", "reading", "soil_temperature_raw"))) == {-200.0}
    assert set(floats(daemon.query("modbus-bus-1", "reading", "ec"))) == {612.0}
    assert set(floats(daemon.query("modbus-bus-1", "reading", "ph"))) == {68 * 0.1}
    assert set(floats(daemon.query("modbus-bus-1", "reading", "potassium"))) == {133.0}
    assert set(floats(daemon.query("modbus-bus-2", "reading", "flow_rate"))) == {12.5}
    total = struct.unpack(">f", bytes.fromhex("449A4A3D"))[0]
    assert set(floats(daemon.query("modbus-bus-2", "reading", "total_volume"))) == {total}
    assert set(floats(daemon.query("modbus-bus-2", "reading", "total_litres"))) == {float(0x00125678)}


# ---------------------------------------------------------------------------------------------- SDI-12

class Simulator:
    """`furrow simulate sensors` with its JSON-lines output collected on a thread."""

    def __init__(self, binary: Path, *args: str):
        self.proc = subprocess.Popen([str(binary), "simulate", "sensors", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.events: list[dict] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.events.append(json.loads(line))
            self.ready.set()

    def pty(self, protocol: str) -> str:
        deadline = time.time() + 20
        while time.time() < deadline:
            for e in self.events:
                if e["event"] == "pty" and e["protocol"] == protocol:
                    return e["path"]
            assert self.proc.poll() is None, self.proc.stderr.read()
            time.sleep(0.05)
        raise AssertionError("the simulator printed no pty")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def test_sdi12_measurements_from_the_simulator_land_in_the_store(furrow_bin: Path, tmp_path: Path):
    sim = Simulator(furrow_bin, "--sdi12", "0:teros12,1:profile", "--sdi12-seconds", "1", "--speed", "3600",
                    "--start-time", "1750000000", "--corrupt-every", "2")
    try:
        path = sim.pty("sdi12")
        answer = subprocess.run([str(furrow_bin), "sensors", "sdi12", "--device", path, "0I!"], check=True,
                                capture_output=True, text=True, timeout=30).stdout
        assert answer == "014METER   TER12 322SIM0\n", answer
        config = sensor_config(f'''
[[sdi12]]
name = "bus"
device = "{path}"
response_timeout_ms = 400
retries = 1

[[sdi12.sensors]]
address = "0"
profile = "meter-teros12"
interval_s = 1

[[sdi12.sensors]]
address = "1"
profile = "sdi12-profile-probe"
interval_s = 2

[[sdi12.sensors]]
address = "7"               # nobody answers at 7: counted as timeouts, the others go on
profile = "meter-teros12"
interval_s = 3
''', tmp_path)
        daemon = Daemon(furrow_bin, tmp_path / "data", config)
        daemon.start()
        try:
            wait_for(lambda: metric(daemon, "furrow_sensor_readings_total", source="sdi12-bus-0") >= 3
                     and metric(daemon, "furrow_sensor_readings_total", source="sdi12-bus-1") >= 2
                     and metric(daemon, "furrow_sensor_errors_total", source="sdi12-bus-7", kind="timeout") >= 2
                     and metric(daemon, "furrow_sensor_errors_total", source="sdi12-bus-0", kind="crc") >= 2, minimum=5)
            timeouts = metric(daemon, "furrow_sensor_errors_total", source="sdi12-bus-0", kind="timeout")
            silent = metric(daemon, "furrow_sensor_errors_total", source="sdi12-bus-7", kind="timeout")
            crc = metric(daemon, "furrow_sensor_errors_total", source="sdi12-bus-0", kind="crc")
        finally:
            assert daemon.stop() == 0, daemon.log.read_text()
    finally:
        sim.stop()

    sent0 = [[float(v) for v in e["values"]] for e in sim.events if e["event"] == "sdi12" and e["address"] == "0"]
    sent1 = [[float(v) for v in e["values"]] for e in sim.events if e["event"] == "sdi12" and e["address"] == "1"]
    raw = floats(daemon.query("sdi12-bus-0", "reading", "vwc_raw"))
    vwc = floats(daemon.query("sdi12-bus-0", "reading", "vwc"))
    temperature = floats(daemon.query("sdi12-bus-0", "reading", "soil_temperature"))
    ec = floats(daemon.query("sdi12-bus-0", "reading", "bulk_ec"))
    assert len(raw) >= 3, (raw, sent0, daemon.log.read_text())
    assert timeouts == 0
    # Every second D0 of the TEROS (aMC!) has a wrong CRC: counted, and the repeated D0 recovers the reading.
    assert crc >= 2, (crc, daemon.log.read_text())
    assert silent >= 2, (silent, daemon.log.read_text())
    assert "no reply to 7MC! after 2 attempts" in daemon.log.read_text()
    # Every stored reading is a measurement the sensor sent, in order, with the published calibration applied.
    stored = list(zip(raw, temperature, ec))
    assert is_subsequence(stored, [tuple(s) for s in sent0]), (stored, sent0)
    assert vwc == [3.879e-4 * r + -0.6956 for r in raw]
    assert all(0.1 < v < 0.45 for v in vwc), vwc
    # The profile probe's 12 values arrive over D0 and D1 (35 characters per response).
    deep = floats(daemon.query("sdi12-bus-1", "reading", "temperature_60cm"))
    shallow = floats(daemon.query("sdi12-bus-1", "reading", "vwc_10cm"))
    assert len(deep) >= 2 and len(shallow) == len(deep)
    assert is_subsequence(list(zip(shallow, deep)), [(a[0], a[11]) for a in sent1]), (shallow, deep, sent1)
    assert "SDI-12 sdi12-bus-0: METER TER12" in daemon.log.read_text()


# --------------------------------------------------------------------------------------------- LoRaWAN

NWK = bytes.fromhex("2B7E151628AED2A6ABF7158809CF4F3C")
APP = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
NWK2 = bytes.fromhex("11223344556677881122334455667788")
APP2 = bytes.fromhex("8877665544332211AABBCCDDEEFF0011")


def aes_block(key: bytes, block: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def uplink(dev_addr: int, fcnt: int, port: int, payload: bytes, nwk: bytes, app: bytes) -> bytes:
    """A LoRaWAN 1.0.x unconfirmed data uplink: FRMPayload encrypted with AppSKey, MIC with NwkSKey."""
    addr = struct.pack("<I", dev_addr)
    ks = b"".join(aes_block(app, b"\x01" + bytes(4) + b"\x00" + addr + struct.pack("<I", fcnt) + b"\x00" + bytes([i + 1]))
                  for i in range((len(payload) + 15) // 16))
    cipher = bytes(p ^ k for p, k in zip(payload, ks))
    msg = b"\x40" + addr + b"\x00" + struct.pack("<H", fcnt & 0xFFFF) + bytes([port]) + cipher
    b0 = b"\x49" + bytes(4) + b"\x00" + addr + struct.pack("<I", fcnt) + b"\x00" + bytes([len(msg)])
    c = cmac.CMAC(algorithms.AES(nwk))
    c.update(b0 + msg)
    return msg + c.finalize()[:4]


def lse01(battery_mv: int, probe_t10: int, vwc100: int, soil_t100: int, ec: int) -> bytes:
    return struct.pack(">HhHhH", battery_mv, probe_t10, vwc100, soil_t100, ec) + b"\x00"


def push_data(token: int, gateway: bytes, phys: list[bytes], rssi: int = -70, snr: float = 7.5, stat: dict | None = None) -> bytes:
    body: dict = {"rxpk": [{"tmst": 1000 + i, "freq": 868.1, "chan": 0, "rfch": 0, "stat": 1, "modu": "LORA",
                            "datr": "SF7BW125", "codr": "4/5", "rssi": rssi, "lsnr": snr, "size": len(p),
                            "data": base64.b64encode(p).decode()} for i, p in enumerate(phys)]}
    if stat is not None:
        body["stat"] = stat
    return bytes([2, token >> 8, token & 0xFF, 0]) + gateway + json.dumps(body).encode()


def test_lorawan_uplinks_are_verified_decrypted_and_stored(furrow_bin: Path, tmp_path: Path):
    udp = free_port(socket.SOCK_DGRAM)
    config = sensor_config(f'''
[[lorawan]]
name = "lora"
listen = "127.0.0.1:{udp}"
dedup_window_ms = 100

[[lorawan.devices]]
dev_eui = "70B3D57ED0001001"
dev_addr = "26011001"
nwk_s_key = "{NWK.hex()}"
app_s_key = "{APP.hex()}"
profile = "dragino-lse01"

[[lorawan.devices]]
dev_eui = "70B3D57ED0001002"
dev_addr = "26011002"
nwk_s_key = "{NWK2.hex()}"
app_s_key = "{APP2.hex()}"
profile = "dragino-lse01"
''', tmp_path)
    daemon = Daemon(furrow_bin, tmp_path / "data", config)
    daemon.start()
    gw_a, gw_b = bytes.fromhex("AA555A0000000001"), bytes.fromhex("AA555A0000000002")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    target = ("127.0.0.1", udp)

    def send(datagram: bytes, ack: int | None = 1) -> None:
        sock.sendto(datagram, target)
        if ack is not None:
            reply, _ = sock.recvfrom(64)
            assert reply == datagram[:3] + bytes([ack]), reply

    try:
        # PULL_DATA keep-alive -> PULL_ACK.
        send(bytes([2, 0x12, 0x34, 2]) + gw_a, ack=4)
        sent1 = []
        for fcnt in range(5):
            values = (3600 - fcnt, 215 + fcnt, 2500 + 10 * fcnt, -100 - fcnt, 300 + fcnt)  # soil temperature below zero
            phy = uplink(0x26011001, fcnt, 2, lse01(*values), NWK, APP)
            send(push_data(fcnt, gw_a, [phy], stat={"rxnb": 5, "rxok": 4, "rxfw": 4, "ackr": 100.0, "dwnb": 0, "txnb": 0}
                           if fcnt == 0 else None))
            if fcnt == 2:
                send(push_data(100, gw_b, [phy], rssi=-110, snr=-3.0))   # the same uplink heard by a second gateway
            sent1.append(values)
            time.sleep(0.25)
        # Device 2 across the 16-bit counter rollover: 65534, 65535, then 65536 sent as 0.
        sent2 = []
        for fcnt in (65534, 65535, 65536):
            values = (3300, 180, 1800 + fcnt % 7, 1234, 150)
            send(push_data(200 + fcnt % 100, gw_a, [uplink(0x26011002, fcnt, 2, lse01(*values), NWK2, APP2)]))
            sent2.append(values)
            time.sleep(0.25)
        time.sleep(1.2)   # past the de-duplication late window: what comes now is a replay, not a late copy
        # Bad input: a replayed FCnt, an unknown DevAddr, malformed JSON, a truncated datagram.
        send(push_data(300, gw_a, [uplink(0x26011001, 3, 2, lse01(1, 1, 1, 1, 1), NWK, APP)]))
        send(push_data(301, gw_a, [uplink(0x26011001, 1, 2, lse01(1, 1, 1, 1, 1), NWK, APP)]))
        send(push_data(302, gw_a, [uplink(0x26019999, 0, 2, lse01(1, 1, 1, 1, 1), NWK, APP)]))
        send(bytes([2, 1, 47, 0]) + gw_a + b'{"rxpk":[{"tmst":1,')
        send(bytes([2, 1, 48, 0]) + gw_a + b'{"rxpk":[{"data":"not base64!!"}]}')
        sock.sendto(b"\x02\x00", target)
        send(push_data(303, gw_a, [uplink(0x26011001, 6, 2, lse01(1, 1, 1, 1, 1), NWK2, APP)]))   # wrong NwkSKey
        # ...and the devices go on.
        values = (3590, 230, 2600, 55, 310)
        send(push_data(400, gw_a, [uplink(0x26011001, 5, 2, lse01(*values), NWK, APP)]))
        sent1.append(values)
        time.sleep(0.6)
        replays = metric(daemon, "furrow_sensor_errors_total", source="lorawan-70b3d57ed0001001", kind="replay")
        unknown = metric(daemon, "furrow_sensor_errors_total", source="lorawan-lora", kind="unknown_devaddr")
        bad_json = metric(daemon, "furrow_sensor_errors_total", source="lorawan-lora", kind="bad_json")
        mic = metric(daemon, "furrow_sensor_errors_total", source="lorawan-70b3d57ed0001001", kind="mic")
        readings = metric(daemon, "furrow_sensor_readings_total", source="lorawan-70b3d57ed0001001")
        assert daemon.health()["status"] == "running"
    finally:
        assert daemon.stop() == 0, daemon.log.read_text()

    assert replays == 2 and unknown == 1 and bad_json == 2 and mic == 1, (replays, unknown, bad_json, mic, daemon.log.read_text())
    assert readings == len(sent1)
    src = "lorawan-70b3d57ed0001001"
    assert floats(daemon.query(src, "reading", "battery")) == [(v[0] & 0x3FFF) / 1000 for v in sent1]
    assert floats(daemon.query(src, "reading", "probe_temperature")) == [v[1] / 10 for v in sent1]
    assert floats(daemon.query(src, "reading", "soil_moisture")) == [v[2] / 100 for v in sent1]
    assert floats(daemon.query(src, "reading", "soil_temperature")) == [v[3] / 100 for v in sent1]
    assert floats(daemon.query(src, "reading", "soil_conductivity")) == [float(v[4]) for v in sent1]
    assert floats(daemon.query(src, "reading", "fcnt")) == [0, 1, 2, 3, 4, 5]
    assert floats(daemon.query(src, "reading", "gateways")) == [1, 1, 2, 1, 1, 1]
    assert floats(daemon.query(src, "reading", "rssi"))[2] == -70  # the best copy (higher SNR) is kept
    src2 = "lorawan-70b3d57ed0001002"
    assert floats(daemon.query(src2, "reading", "fcnt")) == [65534, 65535, 65536]
    assert floats(daemon.query(src2, "reading", "soil_moisture")) == [v[2] / 100 for v in sent2]
    stat = floats(daemon.query("lorawan-gw-aa555a0000000001", "stat", "rxnb"))
    assert stat == [5.0]


# ------------------------------------------------------------------------------ the CLI and the simulators

def test_modbus_write_and_read_commands_against_pymodbus(furrow_bin: Path, modbus_pty: Path):
    """FC 06 and FC 16 from `furrow sensors modbus-write`, read back with FC 03 by `modbus-read`."""
    def run(*args: str) -> str:
        return subprocess.run([str(furrow_bin), "sensors", *args, "--device", str(modbus_pty), "--unit", "1"],
                              check=True, capture_output=True, text=True, timeout=30).stdout

    assert "register 3 = 70 (confirmed)" in run("modbus-write", "--register", "3", "--value", "70")
    assert "2 registers from 4 written" in run("modbus-write", "--register", "0x4", "--value", "7", "8")
    out = run("modbus-read", "--register", "2", "--count", "4")
    assert [line.split("\t")[1] for line in out.splitlines()] == ["612", "70", "7", "8"]
    failed = subprocess.run([str(furrow_bin), "sensors", "modbus-read", "--device", str(modbus_pty), "--unit", "3",
                             "--register", "0", "--count", "7"], capture_output=True, text=True, timeout=30)
    assert failed.returncode != 0 and "illegal data address" in failed.stderr, failed.stderr


def test_simulated_modbus_slaves_and_lora_gateway_feed_the_daemon(furrow_bin: Path, tmp_path: Path):
    udp = free_port(socket.SOCK_DGRAM)
    sim = Simulator(furrow_bin, "--modbus", "1:soil,2:flow", "--lorawan", f"127.0.0.1:{udp}", "--lorawan-devices", "2",
                    "--uplink-interval", "0.5", "--speed", "3600", "--corrupt-every", "4")
    try:
        path = sim.pty("modbus")
        example = (REPO / "Hardware" / "furrow.example.toml").read_text()
        devices = example[example.index("[[lorawan.devices]]"):]
        config = sensor_config(f'''
[[modbus]]
name = "bus"
device = "{path}"
retries = 0

[[modbus.slaves]]
unit = 1
profile = "rs485-soil-7in1"
interval_s = 0.5

[[modbus.slaves]]
unit = 2
profile = "modbus-flow-meter"
interval_s = 0.5

[[lorawan]]
name = "lora"
listen = "127.0.0.1:{udp}"
{devices}''', tmp_path)
        daemon = Daemon(furrow_bin, tmp_path / "data", config)
        daemon.start()
        try:
            wait_for(lambda: all(metric(daemon, "furrow_sensor_readings_total", source=src) >= 4 for src in
                                 ("modbus-bus-1", "modbus-bus-2", "lorawan-70b3d57ed0001001", "lorawan-70b3d57ed0001002"))
                     and sum(metric(daemon, "furrow_sensor_errors_total", source=f"modbus-bus-{u}", kind="crc")
                             for u in (1, 2)) >= 2
                     and stored(daemon, "lorawan-gw-aa555a0000000001", "stat", "rxnb") >= 1, minimum=3)
            crc = sum(metric(daemon, "furrow_sensor_errors_total", source=f"modbus-bus-{u}", kind="crc") for u in (1, 2))
        finally:
            assert daemon.stop() == 0, daemon.log.read_text()
    finally:
        sim.stop()
    answers = sum(1 for e in sim.events if e["event"] == "modbus")
    # Every damaged answer is counted (the simulator may answer a few more polls after the metrics were read).
    assert 2 <= crc <= answers // 4 and answers // 4 - crc <= 3, (crc, answers)
    vwc = floats(daemon.query("modbus-bus-1", "reading", "vwc"))
    assert len(vwc) >= 4 and all(15 < v < 35 for v in vwc), vwc
    assert len(floats(daemon.query("modbus-bus-2", "reading", "total_litres"))) >= 4
    for dev in ("lorawan-70b3d57ed0001001", "lorawan-70b3d57ed0001002"):
        moisture = floats(daemon.query(dev, "reading", "soil_moisture"))
        assert len(moisture) >= 4 and all(15 < m < 35 for m in moisture), (dev, moisture)
    assert len(floats(daemon.query("lorawan-gw-aa555a0000000001", "stat", "rxnb"))) >= 1


def test_sensor_readings_survive_kill_9_after_one_flush_interval(furrow_bin: Path, tmp_path: Path):
    """Sensor readings are not in the raw archive: they are written every flush interval, not at checkpoints."""
    udp = free_port(socket.SOCK_DGRAM)
    config = sensor_config(f'''
[[lorawan]]
name = "lora"
listen = "127.0.0.1:{udp}"
dedup_window_ms = 50

[[lorawan.devices]]
dev_eui = "70B3D57ED0001001"
dev_addr = "26011001"
nwk_s_key = "{NWK.hex()}"
app_s_key = "{APP.hex()}"
profile = "dragino-lse01"
''', tmp_path)
    daemon = Daemon(furrow_bin, tmp_path / "data", config)
    daemon.start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for fcnt in range(10):
        sock.sendto(push_data(fcnt, bytes(8), [uplink(0x26011001, fcnt, 2, lse01(3300, 200, 2000 + fcnt, 1500, 99), NWK, APP)]),
                    ("127.0.0.1", udp))
        time.sleep(0.1)
    time.sleep(0.2 * 3 + 0.1)   # the dedup window, then a flush interval (200 ms) with slack
    assert daemon.stop(signal.SIGKILL) == -signal.SIGKILL
    db = sqlite3.connect(daemon.data / "furrow.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    assert floats(daemon.query("lorawan-70b3d57ed0001001", "reading", "soil_moisture")) == [(2000 + f) / 100 for f in range(10)]

    # After the restart the device's last frame counter comes from the store: an old frame is still a replay.
    daemon.start()
    try:
        for fcnt in (3, 10):
            sock.sendto(push_data(fcnt, bytes(8), [uplink(0x26011001, fcnt, 2, lse01(3300, 200, 2000 + fcnt, 1500, 99), NWK, APP)]),
                        ("127.0.0.1", udp))
            time.sleep(0.3)
        replays = metric(daemon, "furrow_sensor_errors_total", source="lorawan-70b3d57ed0001001", kind="replay")
    finally:
        assert daemon.stop() == 0, daemon.log.read_text()
    assert replays == 1, daemon.log.read_text()
    assert floats(daemon.query("lorawan-70b3d57ed0001001", "reading", "fcnt")) == list(range(10)) + [10]


def test_modbus_bus_unplugged_and_plugged_back_is_reopened(furrow_bin: Path, tmp_path: Path, modbus_bench: ModbusBench):
    config = sensor_config(f'''
[[modbus]]
name = "bus"
device = "{modbus_bench.link}"
response_timeout_ms = 300

[[modbus.slaves]]
unit = 1
profile = "rs485-soil-7in1"
interval_s = 0.3
''', tmp_path)
    daemon = Daemon(furrow_bin, tmp_path / "data", config)
    daemon.start()
    try:
        time.sleep(2)
        before = metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-1")
        modbus_bench.unplug()
        time.sleep(1.5)
        unplugged = metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-1")
        down = [link for link in daemon.health()["links"] if link["name"] == "bus"][0]
        modbus_bench.plug()
        time.sleep(6)   # the reopen delay is 3 s
        after = metric(daemon, "furrow_sensor_readings_total", source="modbus-bus-1")
        up = [link for link in daemon.health()["links"] if link["name"] == "bus"][0]
    finally:
        assert daemon.stop() == 0, daemon.log.read_text()
    assert before >= 3 and unplugged - before <= 1, (before, unplugged)
    assert not down["connected"] and down["lastError"], down
    assert up["connected"] and after >= unplugged + 3, (up, unplugged, after, daemon.log.read_text())
