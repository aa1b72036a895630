#!/usr/bin/env python3
"""ctl_abuse: hostile clients on mcastd's control socket, and a good one.

While the abuse runs, a good client runs `mcastctl show status` over and
over and times each answer.  One JSON line per attack on standard output:

  {"attack": "garbage", "clients": 100, "answered_bad": 100, ...,
   "good": 57, "good_failed": 0, "good_ms_median": 2.1, "good_ms_max": 9.8}

Attacks:
  garbage     each client sends a line of binary bytes, reads the answer
  oversized   each client sends more than CONTROL_MAX_REQUEST bytes, no newline
  many        CLIENTS connections at once that send nothing, held --hold s
  slowread    each client asks for a big reply (--request) and never reads,
              held --hold s

Usage: ctl_abuse.py -u SOCKET [-c MCASTCTL] [-n CLIENTS] [--hold S]
                    [--request LINE] [--good-from-start] ATTACK [ATTACK...]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

MAX_REQUEST = 4096      # daemon/control.h CONTROL_MAX_REQUEST


class Good(threading.Thread):
    """mcastctl show status, again and again, timed."""

    def __init__(self, mcastctl, sock):
        super().__init__(daemon=True)
        self.cmd = [mcastctl, "-u", sock, "show", "status"]
        self.ms = []
        self.failed = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                r = subprocess.run(self.cmd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=10)
                ok = r.returncode == 0
            except subprocess.TimeoutExpired:
                ok = False
            ms = (time.monotonic() - t0) * 1000
            if ok:
                self.ms.append(ms)
            else:
                self.failed += 1
            self.stop.wait(0.02)


def connect(path):
    """Connected, waiting (up to 5 s) while the listen queue is full."""
    deadline = time.monotonic() + 5
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.002)


def read_all(s):
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (socket.timeout, ConnectionResetError):
        pass
    return out


def answer_status(reply):
    """The status of the END record, or None."""
    for line in reply.decode("utf-8", "replace").splitlines():
        if line.startswith("end\t"):
            for f in line.split("\t")[1:]:
                if f.startswith("status="):
                    return int(f[7:])
    return None


def one_shot(path, payload, clients, res):
    """Each client sends payload and reads the answer to the end."""
    res["answered_bad"] = res["answered_other"] = res["refused"] = 0
    for _ in range(clients):
        try:
            s = connect(path)
            s.sendall(payload)
            st = answer_status(read_all(s))
            s.close()
        except OSError:
            res["refused"] += 1
            continue
        if st == 2:
            res["answered_bad"] += 1
        else:
            res["answered_other"] += 1


def held(path, clients, hold, request, res, good):
    """clients connections (sending request, or nothing) held hold s;
    the good client starts once they are all in."""
    socks = []
    res["refused"] = 0
    for _ in range(clients):
        try:
            s = connect(path)
            if request:
                s.sendall(request)
            socks.append(s)
        except OSError:
            res["refused"] += 1
    if not good.is_alive():
        good.start()
    time.sleep(0.3)
    if not request:
        # Closed at once by the daemon: more clients than it takes.
        res["closed_at_once"] = sum(1 for s in socks if closed(s))
    time.sleep(max(0.0, hold - 0.3))
    if not request:
        res["closed_by_daemon"] = sum(1 for s in socks if closed(s))
    for s in socks:
        s.close()


def closed(s):
    """Has the daemon closed s?  (Only for clients that were sent nothing:
    a reply waiting to be read hides a close.)"""
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-u", "--socket", required=True)
    ap.add_argument("-c", "--mcastctl", default="build/mcastctl")
    ap.add_argument("-n", "--clients", type=int, default=100)
    ap.add_argument("--hold", type=float, default=2.0)
    ap.add_argument("--request", default="show groups")
    ap.add_argument("--good-from-start", action="store_true",
                    help="many/slowread: time the good client while the "
                    "clients connect too (by default from when they are in)")
    ap.add_argument("attacks", nargs="+",
                    choices=["garbage", "oversized", "many", "slowread"])
    a = ap.parse_args()
    if not os.path.exists(a.socket):
        sys.exit("ctl_abuse: no socket %s: expected mcastd's -u SOCKET"
                 % a.socket)
    for attack in a.attacks:
        res = {"attack": attack, "clients": a.clients}
        good = Good(a.mcastctl, a.socket)
        t0 = time.monotonic()
        if attack in ("garbage", "oversized") or a.good_from_start:
            good.start()
            time.sleep(0.1)
        if attack == "garbage":
            one_shot(a.socket, b"\x00\x01\xfe garbage \x7f\x1b[2J\n",
                     a.clients, res)
        elif attack == "oversized":
            one_shot(a.socket, b"show " + b"A" * (MAX_REQUEST + 1000),
                     a.clients, res)
        elif attack == "many":
            held(a.socket, a.clients, a.hold, None, res, good)
        else:
            held(a.socket, a.clients, a.hold,
                 a.request.encode() + b"\n", res, good)
        res["seconds"] = round(time.monotonic() - t0, 3)
        time.sleep(0.1)
        good.stop.set()
        good.join()
        res["good"] = len(good.ms)
        res["good_failed"] = good.failed
        if good.ms:
            res["good_ms_median"] = round(statistics.median(good.ms), 1)
            res["good_ms_max"] = round(max(good.ms), 1)
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
