#!/usr/bin/env python3
"""make bench: kepu's import throughput and peak memory, against a plain
Python importer doing the same job (bench/baseline.py) on the same file.

Prints figures only; nothing here asserts a time.  Usage:
    python3 bench/bench.py [--build DIR] [--count N] [--runs K] [--only import|collect|report|serve|summary]
"""
import argparse
import os
import subprocess
import sys
import time


def run(cmd, stdout=subprocess.DEVNULL):
    """Run cmd; return (wall seconds, peak RSS in KiB, exit status)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({code}):\n{err}")
    return wall, ru.ru_maxrss, err


def fresh(db):
    for suffix in ("", "-wal", "-shm", ".lock"):
        try:
            os.remove(db + suffix)
        except FileNotFoundError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--count", type=int, default=200000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["import", "collect", "report", "serve", "summary"])
    a = ap.parse_args()
    if a.only == "collect":
        bench_collect(a.build, 100000, a.runs)
        return
    if a.only == "report":
        bench_report(a.build, a.runs)
        return
    if a.only == "serve":
        bench_serve(a.build, 100000)
        return
    if a.only == "summary":
        bench_summary(a.build, min(a.runs, 2))
        return
    kepu = os.path.join(a.build, "kepu")
    gen = os.path.join(a.build, "kepu-gen")
    d = os.path.join(a.build, "bench")
    os.makedirs(d, exist_ok=True)
    data = os.path.join(d, "posts.ndjson")
    with open(data, "wb") as f:
        subprocess.run([gen, "--seed", "42", "--count", str(a.count)], stdout=f, check=True)
    size = os.path.getsize(data)
    with open(data, "rb") as f:
        lines = sum(1 for _ in f)

    db = os.path.join(d, "kepu.db")
    best = None
    for _ in range(a.runs):
        fresh(db)
        wall, rss, err = run([kepu, "--db", db, "import", data])
        if best is None or wall < best[0]:
            best = (wall, rss, err.strip().splitlines()[-1] if err.strip() else "")
    kwall, krss, ksummary = best

    pdb = os.path.join(d, "baseline.db")
    fresh(pdb)
    pwall, prss, _ = run([sys.executable, "bench/baseline.py", pdb, data])

    mb = size / 1e6
    print(f"import benchmark: {lines} posts, {mb:.1f} MB of NDJSON (kepu-gen --seed 42 --count {a.count})")
    print(f"  kepu import      {kwall:6.2f} s  {lines / kwall:9.0f} lines/s  {mb / kwall:6.1f} MB/s  "
          f"peak RSS {krss / 1024:6.1f} MiB  (best of {a.runs})")
    print(f"  python baseline  {pwall:6.2f} s  {lines / pwall:9.0f} lines/s  {mb / pwall:6.1f} MB/s  "
          f"peak RSS {prss / 1024:6.1f} MiB")
    print(f"  kepu is {pwall / kwall:.1f}x faster than the Python script")
    print(f"  {ksummary}")
    print(f"reproduce: {gen} --seed 42 --count {a.count} > {data} && "
          f"rm -f {db}* && /usr/bin/time -v {kepu} --db {db} import {data}")
    print()
    bench_collect(a.build, 100000, a.runs)
    print()
    bench_report(a.build, a.runs)
    print()
    bench_summary(a.build, min(a.runs, 2))
    print()
    bench_serve(a.build, 100000)


def bench_collect(build, count, runs):
    """Collection throughput from the fake platform server, no rate limit."""
    kepu = os.path.join(build, "kepu")
    d = os.path.join(build, "bench")
    data = os.path.join(d, "collect.ndjson")
    with open(data, "wb") as f:
        subprocess.run([os.path.join(build, "kepu-gen"), "--seed", "9", "--count", str(count)],
                       stdout=f, check=True)
    fake = subprocess.Popen([os.path.join(build, "fakeplatform"), "--data", data],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = fake.stdout.readline().strip().rsplit(":", 1)[1]
        with open("config/kepu.demo.json") as f:
            cfg = f.read().replace("@PORT@", port).replace('"max_pages": 1000', '"max_pages": 100000')
        conf = os.path.join(d, "collect.json")
        with open(conf, "w") as f:
            f.write(cfg)
        db = os.path.join(d, "collect.db")
        best = None
        for _ in range(runs):
            fresh(db)
            wall, rss, _ = run([kepu, "--config", conf, "--db", db, "collect"])
            if best is None or wall < best[0]:
                best = (wall, rss)
    finally:
        fake.terminate()
        fake.wait()
    wall, rss = best
    print(f"collect benchmark: {count} posts served by tests/fakeplatform on 127.0.0.1 "
          f"(weibo, bilibili, douyin, a generic feed; min_interval_ms 0; the server shares the 2 cores)")
    print(f"  kepu collect     {wall:6.2f} s  {count / wall:9.0f} posts/s  peak RSS {rss / 1024:6.1f} MiB  "
          f"(best of {runs})")


def report_db(build):
    """build/bench/report1m.db: 1,000,000 posts with 5,000,000 snapshots, made once."""
    d = os.path.join(build, "bench")
    os.makedirs(d, exist_ok=True)
    db = os.path.join(d, "report1m.db")
    if not os.path.exists(db):
        print("building the 1,000,000-post database once (a few minutes) ...", flush=True)
        subprocess.run([os.path.join(build, "bench-mkdb"), db + ".tmp", "1000000", "5"], check=True,
                       stderr=subprocess.DEVNULL)
        os.rename(db + ".tmp", db)
    return db


def bench_report(build, runs):
    """The report on 1,000,000 posts with 5,000,000 snapshots, every format."""
    kepu = os.path.join(build, "kepu")
    d = os.path.join(build, "bench")
    db = report_db(build)
    print("report benchmark: 1,000,000 posts, 5,000,000 snapshots "
          f"(bench-mkdb {db} 1000000 5), best of {runs}")
    for fmt, extra in (("html", []), ("md", []), ("json", []), ("csv", []),
                       ("html", ["--as-of", "2025-10-01"]), ("html", ["--district", "江津区"])):
        out = os.path.join(d, "report-out." + fmt) if fmt != "csv" else os.path.join(d, "report-csv")
        best = None
        for _ in range(runs):
            wall, rss, _ = run([kepu, "--db", db, "report", "--format", fmt, "-o", out] + extra)
            if best is None or wall < best[0]:
                best = (wall, rss)
        label = fmt + (" " + " ".join(extra) if extra else "")
        print(f"  kepu report --format {label:28s} {best[0]:5.2f} s  peak RSS {best[1] / 1024:6.1f} MiB")


def bench_summary(build, runs):
    """kepu summary on the report's 1,000,000 posts: all 42 documents (41
    units and the city), Word and PDF together, then each alone.  The CPU
    time (user + system) too: on a shared machine it moves less than the
    wall time."""
    kepu = os.path.join(build, "kepu")
    d = os.path.join(build, "bench")
    db = report_db(build)
    out = os.path.join(d, "summary-out")
    print(f"summary benchmark: 42 documents from 1,000,000 posts (bench-mkdb {db}), best of {runs}")
    for fmt in ("all", "docx", "pdf"):
        best = None
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.Popen([kepu, "--db", db, "summary", "--format", fmt, "-o", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            err = p.stderr.read().decode("utf-8", "replace")
            p.stderr.close()
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"bench: kepu summary --format {fmt} failed:\n{err}")
            if best is None or wall < best[0]:
                best = (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss)
        files = len([f for f in os.listdir(out) if f.endswith(".docx" if fmt == "docx" else ".pdf")])
        print(f"  kepu summary --format {fmt:5s} {best[0]:6.2f} s  (CPU {best[1]:5.2f} s)  "
              f"peak RSS {best[2] / 1024:6.1f} MiB  ({files} {'Word files' if fmt == 'docx' else 'PDFs'})")


def bench_serve(build, count, clients=50):
    """kepu serve under 50 concurrent clients reading the review queue and
    the report while `kepu collect` stores 100,000 posts into the same
    database from the fake platform server."""
    import http.client
    import json
    import re
    import threading

    kepu = os.path.join(build, "kepu")
    d = os.path.join(build, "bench")
    data = os.path.join(d, "collect.ndjson")
    if not os.path.exists(data):
        with open(data, "wb") as f:
            subprocess.run([os.path.join(build, "kepu-gen"), "--seed", "9", "--count", str(count)],
                           stdout=f, check=True)
    db = os.path.join(d, "serve.db")
    fresh(db)
    subprocess.run([kepu, "--db", db, "user", "add", "bench", "--role", "reviewer"],
                   input="bench password 1234\n", text=True, check=True, capture_output=True)
    fake = subprocess.Popen([os.path.join(build, "fakeplatform"), "--data", data],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    err = open(os.path.join(d, "serve.err"), "w+")
    srv = subprocess.Popen([kepu, "--db", db, "serve", "--listen", "127.0.0.1:0"], stderr=err)
    collect = None
    try:
        port = fake.stdout.readline().strip().rsplit(":", 1)[1]
        with open("config/kepu.demo.json") as f:
            cfg = f.read().replace("@PORT@", port).replace('"max_pages": 1000', '"max_pages": 100000')
        conf = os.path.join(d, "serve-collect.json")
        with open(conf, "w") as f:
            f.write(cfg)
        sport = None
        for _ in range(200):
            err.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", err.read())
            if m:
                sport = int(m.group(1))
                break
            time.sleep(0.05)
        c = http.client.HTTPConnection("127.0.0.1", sport, timeout=120)
        c.request("POST", "/api/login", body=json.dumps({"user": "bench", "password": "bench password 1234"}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        collect = subprocess.Popen([kepu, "--config", conf, "--db", db, "collect"], stderr=subprocess.DEVNULL)
        lat = {"queue": [], "report": []}
        errors = [0]
        lock = threading.Lock()
        t_start = time.monotonic()

        def client(i):
            conn = http.client.HTTPConnection("127.0.0.1", sport, timeout=120)
            k = i
            while collect.poll() is None:
                kind = "queue" if k % 2 == 0 else "report"
                path = "/api/queue?page=%d" % (1 + k % 3) if kind == "queue" else "/api/report"
                k += 1
                t0 = time.monotonic()
                try:
                    conn.request("GET", path, headers={"Cookie": cookie})
                    resp = conn.getresponse()
                    resp.read()
                    ok = resp.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn = http.client.HTTPConnection("127.0.0.1", sport, timeout=120)
                dt = time.monotonic() - t0
                with lock:
                    if ok:
                        lat[kind].append(dt)
                    else:
                        errors[0] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t_start
        stored = subprocess.run(["sqlite3", db, "SELECT count(*) FROM posts"], capture_output=True,
                                text=True).stdout.strip()
    finally:
        if collect and collect.poll() is None:
            collect.kill()
        srv.terminate()
        srv.wait()
        fake.terminate()
        fake.wait()
    print(f"serve benchmark: {clients} clients reading the queue and the report of kepu serve (4 threads) "
          f"while kepu collect stores {count} posts from tests/fakeplatform into the same database "
          f"({stored} stored, {wall:.0f} s; all on the 2 cores)")
    for kind in ("queue", "report"):
        v = sorted(lat[kind])
        if not v:
            print(f"  {kind}: no answers")
            continue
        p = lambda q: v[min(len(v) - 1, int(q * len(v)))] * 1000
        print(f"  GET /api/{kind:7s} {len(v) / wall:7.1f} requests/s  p50 {p(0.5):6.0f} ms  p95 {p(0.95):6.0f} ms  "
              f"max {v[-1] * 1000:6.0f} ms  ({len(v)} answers)")
    print(f"  failed requests: {errors[0]}")


if __name__ == "__main__":
    main()
