#!/usr/bin/env python3
"""serve.py — serves a built GIL Lab folder on localhost with the headers that make the page
cross-origin isolated, which SharedArrayBuffer and so the real-thread experiments need:

  Cross-Origin-Opener-Policy: same-origin        } isolate the lab when it is the top page
  Cross-Origin-Embedder-Policy: require-corp     }
  Document-Isolation-Policy: isolate-and-require-corp
      isolates the lab's own document even inside an iframe of a course page that is not
      isolated itself (Chromium-based browsers, Chrome and Edge 137+; others ignore it)

    python3 web/serve.py [--dir build/web] [--port 8080] [--no-isolation] [--no-dip]

--no-isolation leaves all three out, as a plain static host would (the page then falls
back to its build without threads). --no-dip leaves only Document-Isolation-Policy out
(an embedded lab is then not isolated, as on a host that sends COOP/COEP only).
"""
import argparse
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    isolation = True
    dip = True
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript"}

    def end_headers(self):
        if self.isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            if self.dip:
                self.send_header("Document-Isolation-Policy", "isolate-and-require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("GILLAB_SERVE_LOG"):
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser(description="Serve the GIL Lab page with COOP/COEP headers.")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--dir", default=os.path.join(root, "build", "web"))
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--no-isolation", action="store_true",
                    help="omit COOP/COEP and Document-Isolation-Policy (test the fallback)")
    ap.add_argument("--no-dip", action="store_true",
                    help="omit Document-Isolation-Policy only (an embedded lab is then not isolated)")
    a = ap.parse_args()
    if not os.path.isfile(os.path.join(a.dir, "index.html")):
        sys.exit(f"serve.py: {a.dir} has no index.html; build first (scripts/build.sh web)")
    Handler.isolation = not a.no_isolation
    Handler.dip = not a.no_dip
    handler = functools.partial(Handler, directory=a.dir)
    try:
        httpd = http.server.ThreadingHTTPServer((a.host, a.port), handler)
    except OSError as e:
        sys.exit(f"serve.py: cannot listen on {a.host}:{a.port}: {e.strerror} (try --port)")
    if not Handler.isolation:
        iso = "WITHOUT isolation headers"
    elif Handler.dip:
        iso = "cross-origin isolated, also inside iframes where the browser supports Document-Isolation-Policy"
    else:
        iso = "cross-origin isolated (COOP/COEP only, no Document-Isolation-Policy)"
    print(f"GIL Lab: http://localhost:{httpd.server_address[1]}/  ({iso}; Ctrl-C to stop)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
