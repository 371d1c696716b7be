"""A small HTTP server for tests/attack_test.sh: what tests/fakeplatform.c
cannot do.  It echoes parts of the request back in a feed error (as real
APIs do with a bad parameter), logs every request's headers, and serves
fixture files byte for byte.

    python3 server.py LOG FIXTURE_DIR      prints `listening on 127.0.0.1:PORT`

GET /echo/url?...      400 {"code":400,"message":"bad request: PATH?QUERY"}
GET /echo/cookie       400 {"code":400,"message":"rejected cookie: COOKIE"}
GET /echo/header       400 {"code":400,"message":"rejected token: X-TOKEN"}
GET /file/NAME?page=N  NAME.pN.json from FIXTURE_DIR (or NAME.json), as is
anything else          200 an empty feed page
Each request appends one JSON line to LOG: {"path": ..., "headers": [[name, value], ...]}.
"""
import http.server
import json
import os
import sys
import threading
import urllib.parse

LOG, FIXTURES = sys.argv[1], sys.argv[2]
lock = threading.Lock()
EMPTY = b'{"data":{"list":[],"has_more":false}}'


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="application/json; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def feed_error(self, message):
        self.reply(400, json.dumps({"code": 400, "message": message}, ensure_ascii=False).encode())

    def do_GET(self):
        with lock:
            with open(LOG, "a", encoding="utf-8") as f:
                f.write(json.dumps({"path": self.path, "headers": [[k, v] for k, v in self.headers.items()]},
                                   ensure_ascii=False) + "\n")
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        if u.path == "/echo/url":
            self.feed_error("bad request: " + self.path)
        elif u.path == "/echo/cookie":
            self.feed_error("rejected cookie: " + (self.headers.get("Cookie") or ""))
        elif u.path == "/echo/header":
            self.feed_error("rejected token: " + (self.headers.get("X-Token") or ""))
        elif u.path.startswith("/file/"):
            name = os.path.basename(u.path[6:])
            page = q.get("page", ["1"])[0]
            for cand in (f"{name}.p{page}.json", f"{name}.json"):
                p = os.path.join(FIXTURES, cand)
                if os.path.isfile(p):
                    with open(p, "rb") as f:
                        self.reply(200, f.read())
                    return
            self.reply(200, EMPTY)
        else:
            self.reply(200, EMPTY)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
print("listening on 127.0.0.1:%d" % srv.server_address[1], flush=True)
srv.serve_forever()
