"""Furrow's sensor-side codecs against independent Python peers, through `furrow sensors-check`.

* CRC-16/MODBUS and RTU request/response frames against pymodbus's RTU framer and PDUs;
* SDI-12's CRC against fastcrc's CRC-16/ARC (plus the SDI-12 character encoding written out here);
* AES-CMAC against the `cryptography` package's CMAC;
* LoRaWAN uplinks (MIC with the 32-bit counter, FRMPayload encryption) built here from `cryptography`'s AES
  per LoRaWAN 1.0.x §4.3.3 / §4.4, opened by Furrow;
* 32-bit register values in the four word orders against Python's `struct`.

Random cases with a fixed seed; one furrow process per test (JSON lines in, JSON lines out).
"""
from __future__ import annotations

import json
import math
import random
import struct
import subprocess

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC
from fastcrc import crc16
from pymodbus.framer import FramerRTU
from pymodbus.pdu import DecodePDU
from pymodbus.pdu.register_message import (
    ReadHoldingRegistersRequest,
    ReadHoldingRegistersResponse,
    ReadInputRegistersRequest,
    ReadInputRegistersResponse,
    WriteMultipleRegistersRequest,
    WriteSingleRegisterRequest,
)

CASES = 500


def run(furrow_bin, requests: list[dict]) -> list[dict]:
    text = "".join(json.dumps(r) + "\n" for r in requests)
    out = subprocess.run([str(furrow_bin), "sensors-check"], input=text, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    replies = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(replies) == len(requests)
    return replies


def test_crc16_modbus_and_request_frames_match_pymodbus(furrow_bin):
    rng = random.Random(1)
    client = FramerRTU(DecodePDU(False))
    data = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))) for _ in range(CASES)]
    requests = [{"op": "crc16-modbus", "hex": d.hex()} for d in data]
    expected_frames = []
    for _ in range(CASES):
        slave, address = rng.randrange(1, 248), rng.randrange(0, 60000)
        fc = rng.choice([3, 4, 6, 16])
        if fc in (3, 4):
            count = rng.randrange(1, 126)
            pdu = (ReadHoldingRegistersRequest if fc == 3 else ReadInputRegistersRequest)(dev_id=slave, address=address, count=count)
            requests.append({"op": "modbus-request", "slave": slave, "fc": fc, "address": address, "count": count})
        elif fc == 6:
            value = rng.randrange(65536)
            pdu = WriteSingleRegisterRequest(dev_id=slave, address=address, registers=[value])
            requests.append({"op": "modbus-request", "slave": slave, "fc": 6, "address": address, "values": [value]})
        else:
            values = [rng.randrange(65536) for _ in range(rng.randrange(1, 124))]
            pdu = WriteMultipleRegistersRequest(dev_id=slave, address=address, registers=values)
            requests.append({"op": "modbus-request", "slave": slave, "fc": 16, "address": address, "values": values})
        expected_frames.append(client.buildFrame(pdu).hex())
    replies = run(furrow_bin, requests)
    for d, reply in zip(data, replies[:CASES]):
        # pymodbus returns the CRC with its bytes in wire order (low byte first) read as a big-endian number.
        wire = FramerRTU.compute_CRC(d).to_bytes(2, "big")
        assert reply["value"] == int.from_bytes(wire, "little"), d.hex()
    for frame, reply, request in zip(expected_frames, replies[CASES:], requests[CASES:]):
        assert reply.get("hex") == frame, request


def test_register_responses_built_by_pymodbus_parse(furrow_bin):
    rng = random.Random(2)
    server = FramerRTU(DecodePDU(True))
    requests, expected = [], []
    for _ in range(CASES):
        slave, count, fc = rng.randrange(1, 248), rng.randrange(1, 126), rng.choice([3, 4])
        registers = [rng.randrange(65536) for _ in range(count)]
        cls = ReadHoldingRegistersResponse if fc == 3 else ReadInputRegistersResponse
        frame = bytearray(server.buildFrame(cls(dev_id=slave, registers=registers)))
        corrupt = rng.random() < 0.2
        if corrupt:
            frame[rng.randrange(len(frame))] ^= 1 << rng.randrange(8)
        requests.append({"op": "modbus-response", "slave": slave, "fc": fc, "address": 0, "count": count, "hex": frame.hex()})
        expected.append(None if corrupt else registers)
    for reply, want in zip(run(furrow_bin, requests), expected):
        if want is None:
            assert "error" in reply  # a flipped bit never passes as data (CRC or header check)
        else:
            assert reply == {"registers": want}


def test_sdi12_crc_matches_crc16_arc(furrow_bin):
    rng = random.Random(3)
    alphabet = "0123456789+-.abcXYZ"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80))) for _ in range(CASES)]
    for text, reply in zip(texts, run(furrow_bin, [{"op": "sdi12-crc", "text": t} for t in texts])):
        value = crc16.arc(text.encode())
        chars = bytes([0x40 | (value >> 12), 0x40 | ((value >> 6) & 0x3F), 0x40 | (value & 0x3F)]).decode()
        assert reply == {"value": value, "chars": chars}, text


def test_aes_cmac_matches_cryptography(furrow_bin):
    rng = random.Random(4)
    cases = [(rng.randbytes(16), rng.randbytes(rng.randrange(0, 100))) for _ in range(CASES)]
    replies = run(furrow_bin, [{"op": "cmac", "key": k.hex(), "hex": m.hex()} for k, m in cases])
    for (key, message), reply in zip(cases, replies):
        mac = CMAC(algorithms.AES(key))
        mac.update(message)
        assert reply["hex"] == mac.finalize().hex()


def aes_encrypt(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def build_uplink(rng: random.Random, nwk: bytes, app: bytes, counter: int) -> tuple[bytes, bytes, int]:
    """An unconfirmed uplink per LoRaWAN 1.0.x: encrypted FRMPayload, B0-block MIC over the 32-bit counter."""
    devaddr = rng.randrange(1 << 32)
    fport = rng.randrange(0, 224)
    plain = rng.randbytes(rng.randrange(1, 60))
    key = nwk if fport == 0 else app
    cipher = bytearray(plain)
    for i in range(0, len(plain), 16):
        a = bytes([1, 0, 0, 0, 0, 0]) + struct.pack("<II", devaddr, counter) + bytes([0, i // 16 + 1])
        for j, s in enumerate(aes_encrypt(key, a)[: len(plain) - i]):
            cipher[i + j] ^= s
    msg = bytes([0x40]) + struct.pack("<IBH", devaddr, 0, counter & 0xFFFF) + bytes([fport]) + bytes(cipher)
    b0 = bytes([0x49, 0, 0, 0, 0, 0]) + struct.pack("<II", devaddr, counter) + bytes([0, len(msg)])
    mac = CMAC(algorithms.AES(nwk))
    mac.update(b0 + msg)
    return msg + mac.finalize()[:4], plain, fport


def test_lorawan_uplinks_built_in_python_open(furrow_bin):
    rng = random.Random(5)
    requests, expected = [], []
    for _ in range(CASES):
        nwk, app = rng.randbytes(16), rng.randbytes(16)
        last = rng.choice([0, 5, 0xFFF0, 0x1FFFE, rng.randrange(1 << 31)])
        counter = last + rng.randrange(0, 40)
        frame, plain, fport = build_uplink(rng, nwk, app, counter)
        wrong_key = rng.random() < 0.1
        requests.append({"op": "lorawan-open", "nwk": (app if wrong_key else nwk).hex(), "app": app.hex(),
                         "hex": frame.hex(), "last": last})
        expected.append(None if wrong_key else (counter, fport, plain.hex()))
    for reply, want in zip(run(furrow_bin, requests), expected):
        if want is None:
            assert reply == {"error": "mic-mismatch"}
        else:
            assert (reply["counter"], reply["fport"], reply["payload"]) == want


@pytest.mark.parametrize("order", ["abcd", "cdab", "badc", "dcba"])
def test_32_bit_registers_match_struct(furrow_bin, order):
    rng = random.Random(6)
    requests, expected = [], []
    for _ in range(CASES):
        raw = rng.randbytes(4)  # A B C D, most significant first
        a, b, c, d = raw
        wire = {"abcd": [a, b, c, d], "cdab": [c, d, a, b], "badc": [b, a, d, c], "dcba": [d, c, b, a]}[order]
        for kind, fmt in (("uint32", ">I"), ("int32", ">i"), ("float32", ">f")):
            value = struct.unpack(fmt, raw)[0]
            if kind == "float32" and not math.isfinite(value):  # JSON carries neither NaN nor infinities
                continue
            requests.append({"op": "register", "type": kind, "order": order, "hex": bytes(wire).hex()})
            expected.append(value)
    for reply, want in zip(run(furrow_bin, requests), expected):
        assert reply["value"] == want
