#!/bin/sh
# The web workspace through the real `kepu serve`: its JSON API and its
# pages in Debian's Chromium driven by python3-selenium (tests/web_api.py).
# Installs the browser, its driver, Selenium and the CJK fonts when they
# are missing and we are root; without them the browser checks fail, with
# the install command.  Ends with `web: N passed, N failed`.
#   BUILD     build directory holding kepu
#   VALGRIND  optional command prefix (make valgrind)
set -u
need=""
for p in chromium chromium-driver python3-selenium fonts-noto-cjk; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ] && [ "$(id -u)" = 0 ]; then
	echo "web: installing$need for the browser checks ..."
	apt-get update -qq >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1
elif [ -n "$need" ]; then
	echo "web: missing$need; install with: sudo apt-get install$need"
fi
exec /usr/bin/python3 tests/web_api.py
