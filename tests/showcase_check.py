#!/usr/bin/python3
"""The showcase page in a real browser (Debian's Chromium under
chromedriver, headless, offline), as the public will see it: served over
HTTP from the directory `kepu showcase -o DIR` wrote, at 390 px (a phone)
and 1400 px (a desktop).

    showcase_check.py DIR EXPECT.json

EXPECT.json: {"works": N, "covers": N (images expected), "units": [names],
"base_url": "https://..." or null}.  Prints one line per check (`ok` or
`FAIL`) and ends with `N passed, N failed`; exit status 1 on a failure.
SHOTS=dir saves showcase-390.png and showcase-1400.png there.
"""
import functools
import http.server
import json
import os
import sys
import tempfile
import threading

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail)[:600] if detail else ""))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve(d):
    h = functools.partial(Quiet, directory=d)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def chrome(width, height, profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    o = Options()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
              "--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height), "--lang=zh-CN",
              "--force-device-scale-factor=1"):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


# WCAG 2.x relative luminance and contrast of every element that shows
# text of its own, against the first opaque background behind it.
CONTRAST_JS = r"""
function rgb(s){const m=s.match(/rgba?\(([^)]+)\)/);if(!m)return null;const p=m[1].split(',').map(Number);
  return {r:p[0],g:p[1],b:p[2],a:p.length>3?p[3]:1};}
function lum(c){const f=v=>{v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4);};
  return 0.2126*f(c.r)+0.7152*f(c.g)+0.0722*f(c.b);}
function bg(el){for(;el;el=el.parentElement){const c=rgb(getComputedStyle(el).backgroundColor);
  if(c&&c.a>0.5)return c;}return {r:255,g:255,b:255,a:1};}
const bad=[];let n=0;
for(const el of document.body.querySelectorAll('*')){
  const own=[...el.childNodes].some(x=>x.nodeType===3&&x.textContent.trim());
  if(!own)continue;const cs=getComputedStyle(el);if(cs.visibility==='hidden'||cs.display==='none')continue;
  const fg=rgb(cs.color),b=bg(el);const L1=lum(fg),L2=lum(b);
  const ratio=(Math.max(L1,L2)+0.05)/(Math.min(L1,L2)+0.05);const size=parseFloat(cs.fontSize);
  const large=size>=24||(size>=18.66&&parseInt(cs.fontWeight)>=700);n++;
  if(ratio<(large?3:4.5))bad.push(el.tagName+'.'+el.className+' '+ratio.toFixed(2)+' "'+el.textContent.trim().slice(0,20)+'"');}
return [n,bad];
"""


def page_checks(d, base, width, expect, shots):
    from selenium.webdriver.common.by import By
    d.get(base + "/index.html")
    tag = "%d px: " % width
    # scroll through the page so that every lazy picture is asked for
    h = d.execute_script("return document.documentElement.scrollHeight")
    for y in range(0, h + 800, 600):
        d.execute_script("window.scrollTo(0, arguments[0])", y)
    d.execute_async_script("""const done=arguments[arguments.length-1];
      Promise.all([...document.images].map(i=>i.complete?1:new Promise(r=>{i.onload=i.onerror=r;})))
      .then(()=>done(1));""")
    d.execute_script("window.scrollTo(0, 0)")
    de = d.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    check(tag + "no horizontal scroll (scrollWidth <= clientWidth)", de[0] <= de[1], de)
    imgs = d.execute_script("return [...document.images].map(i=>[i.getAttribute('src'), i.naturalWidth, i.alt])")
    check(tag + "%d cover pictures, as downloaded" % expect["covers"], len(imgs) == expect["covers"], imgs)
    check(tag + "every picture loads (naturalWidth > 0)", all(i[1] > 0 for i in imgs), [i for i in imgs if i[1] <= 0])
    check(tag + "every picture has alt text", all(i[2].strip() for i in imgs), imgs)
    res = d.execute_script("return performance.getEntriesByType('resource').map(r=>r.name)")
    outside = [r for r in res if not r.startswith(base + "/")]
    check(tag + "no request leaves DIR (%d requests)" % len(res), not outside, outside)
    logs = [l for l in d.get_log("browser") if l["level"] == "SEVERE"]
    check(tag + "no console error", not logs, logs)
    n, bad = d.execute_script(CONTRAST_JS)
    check(tag + "text contrast at least WCAG AA (%d elements)" % n, n > 10 and not bad, bad)
    small = d.execute_script("""return [...document.querySelectorAll('a')].map(a=>{const r=a.getBoundingClientRect();
        return [a.textContent.trim().slice(0,16), Math.round(r.width), Math.round(r.height)]})
        .filter(x=>(x[1]||x[2])&&(x[1]<44||x[2]<44))""")
    check(tag + "tap targets at least 44 px", not small, small)
    cards = d.find_elements(By.CSS_SELECTOR, "article.card")
    check(tag + "%d works" % expect["works"], len(cards) == expect["works"], len(cards))
    if width < 500:
        lefts = d.execute_script("return [...document.querySelectorAll('article.card')].map(c=>Math.round(c.getBoundingClientRect().left))")
        check(tag + "one column on a phone", len(set(lefts)) == 1, lefts)
    else:
        lefts = d.execute_script("return [...document.querySelectorAll('article.card')].map(c=>Math.round(c.getBoundingClientRect().left))")
        check(tag + "several columns on a desktop", len(set(lefts)) >= 2, lefts)
    # the jump bar leads to each unit's section
    links = d.find_elements(By.CSS_SELECTOR, "nav.jump a")
    names = [l.text.split("\n")[0].rstrip("0123456789 ") for l in links]
    check(tag + "jump bar: the units with works, in order", names == expect["units"], names)
    for link in links[1:3] + links[-1:]:
        target = link.get_attribute("href").split("#")[1]
        link.click()
        top, bar, end = d.execute_script("""const s=document.getElementById(arguments[0]);
            return [s?Math.round(s.getBoundingClientRect().top):null,
                    getComputedStyle(document.querySelector('nav.jump')).position==='sticky'
                      ? Math.round(document.querySelector('nav.jump').getBoundingClientRect().bottom) : 0,
                    window.scrollY+window.innerHeight>=document.documentElement.scrollHeight-2]""", target)
        # at the top below the sticky bar, or as far as the page scrolls
        check(tag + "the jump to %s lands on it, not under the bar" % target,
              top is not None and top >= bar - 2 and (top <= bar + 40 or (end and top < 900)), (top, bar, end))
    if shots:
        # as a visitor first sees it: a fresh load, every picture in
        d.get(base + "/index.html")
        d.execute_async_script("""const done=arguments[arguments.length-1];
          Promise.all([...document.images].map(i=>{i.loading='eager';return i.complete?1:new Promise(r=>{i.onload=i.onerror=r;})}))
          .then(()=>done(1));""")
        full = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(width, min(full, 2400) if width >= 1000 else min(full, 2200))
        d.save_screenshot(os.path.join(shots, "showcase-%d.png" % width))


def static_checks(d, base, expect):
    from selenium.webdriver.common.by import By
    d.get(base + "/index.html")
    meta = lambda sel: [e.get_attribute("content") for e in d.find_elements(By.CSS_SELECTOR, sel)]
    check("lang=zh-CN", d.execute_script("return document.documentElement.lang") == "zh-CN")
    check("viewport meta", meta('meta[name="viewport"]') == ["width=device-width, initial-scale=1"])
    check("no script on the page", d.execute_script("return document.scripts.length") == 0)
    ogt, ogd, ogi = meta('meta[property="og:title"]'), meta('meta[property="og:description"]'), meta('meta[property="og:image"]')
    check("og:title is the page's title", ogt == [d.title] and d.title, (ogt, d.title))
    check("og:description says something", len(ogd) == 1 and len(ogd[0]) > 10, ogd)
    if expect["covers"]:
        first = d.execute_script("return document.images[0].getAttribute('src')")
        want = (expect["base_url"] + "/" + first) if expect["base_url"] else first
        check("og:image: the first cover%s" % (", absolute" if expect["base_url"] else ""), ogi == [want], (ogi, want))
    else:
        check("no og:image without a cover", ogi == [], ogi)


def main():
    global failed
    d_dir, expect = sys.argv[1], json.load(open(sys.argv[2]))
    shots = os.environ.get("SHOTS")
    if shots:
        os.makedirs(shots, exist_ok=True)
    try:
        import selenium  # noqa: F401
        have = os.path.exists("/usr/bin/chromedriver") and os.path.exists("/usr/bin/chromium")
    except ImportError:
        have = False
    check("chromium, chromedriver and selenium available "
          "(apt-get install chromium chromium-driver python3-selenium)", have)
    if have:
        srv = serve(d_dir)
        base = "http://127.0.0.1:%d" % srv.server_address[1]
        with tempfile.TemporaryDirectory() as prof:
            for width, height in ((390, 844), (1400, 900)):
                d = chrome(width, height, os.path.join(prof, str(width)))
                try:
                    if width == 390:
                        static_checks(d, base, expect)
                    page_checks(d, base, width, expect, shots)
                finally:
                    d.quit()
        srv.shutdown()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
