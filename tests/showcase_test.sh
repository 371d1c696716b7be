#!/bin/sh
# The "科普之光" showcase through the real binary: posts written the way
# people write them (Weibo's #话题# and 【标题】, Douyin's "标题 #话题",
# Bilibili's own titles, reposts, mentions, links, emoticon codes, a phone
# number), featured with notes and an editor's title, published with the
# config's words around them; the files checked as text, the page in
# headless Chromium at 390 and 1400 px (tests/showcase_check.py).  Ends with
# `showcase: N passed, N failed`.
#   BUILD     build directory holding kepu and fakeplatform
#   SHOTS     optional: keep the browser's screenshots there
set -u
NAME=showcase
. tests/lib.sh

DB=$T/k.db
k() { kepu --config "$T/kepu.json" --db "$DB" "$@"; }
same() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'"; return 1; }; }

cat >"$T/kepu.json" <<'EOF'
{
  "campaign": {"name": "2025年全国科普月", "tags": ["千万IP创科普"], "start": "2025-09-01", "end": "2025-09-30"},
  "showcase": {
    "title": "“科普之光”优秀科普作品展示",
    "intro": "2025年全国科普月期间，全市各区县、学校、科普场馆、企业和科普创作者以 #千万IP创科普# 为话题发布科普作品。\n经内容审核，以下作品入选“科普之光”线上展示。",
    "organizer": "重庆市科学技术协会",
    "footer": "作品版权归原作者所有。如需转载，请联系作者。",
    "base_url": "https://kepu.example.cn/showcase/"
  }
}
EOF

# ---- posts as people write them ----
# Where the shapes come from: Weibo's leading "#话题# text" is the shape of
# the m.weibo.cn captures in tests/data/adapter_cases.jsonl (dataabc/
# weibo-crawler, MediaCrawler); Douyin's "text #话题 #话题" desc is its
# text_extra hashtags written into desc (the same file's Douyin cases);
# Bilibili's own title with a trailing #话题# is its search result's title.
# 【标题】 at a Weibo post's start is the news style of official accounts; it
# is not in a capture kept here.  The phone number, the repost chain, the
# hostile markup and the long unpunctuated run are written on purpose.
# shellcheck disable=SC2016
cat >"$T/posts.ndjson" <<'EOF'
{"platform":"weibo","post_id":"5201000000000001","created_at":"2025-09-04 10:54","author_name":"万州科协","text":"#千万IP创科普# 【万州区青少年科技创新大赛开幕】今天上午，300多名中小学生带着自己的发明来到万州区科技馆。@重庆科协 @万州发布 http://t.cn/A6abcdE [赞][赞]","url":"https://m.weibo.cn/detail/5201000000000001","likes":1234,"comments":56,"shares":78}
{"platform":"douyin","post_id":"7410000000000000002","created_at":"2025-09-06 19:30","author_name":"涪陵科技馆","text":"涪陵科技馆的“会说话的恐龙”来了！#千万IP创科普 #科普 #恐龙 带孩子来看看吧，周末免费开放","url":"https://www.douyin.com/video/7410000000000000002","views":9274636,"likes":412345,"comments":3021,"shares":15000,"favorites":22000}
{"platform":"bilibili","post_id":"BV1xK4y1z7aa","created_at":"2025-09-12 08:00","author_name":"江津区科协","title":"【江津】一分钟看懂长江鱼类的洄游 #千万IP创科普#","text":"跟着科普员走进长江珍稀鱼类保护区，认识中华鲟、达氏鲟。","url":"https://www.bilibili.com/video/BV1xK4y1z7aa","views":1000000,"likes":52000,"comments":800,"shares":1200,"favorites":9000,"coins":15000}
{"platform":"weibo","post_id":"5201000000000004","created_at":"2025-09-15 21:10","author_name":"合川小记者","text":"太棒了！！在#钓鱼城#看古代城防里的科学，原来抛石机要算抛物线 #千万IP创科普# 详情咨询13812345678","url":"https://m.weibo.cn/detail/5201000000000004","likes":88,"comments":9,"shares":3}
{"platform":"weibo","post_id":"5201000000000005","created_at":"2025-09-18 07:45","author_name":"大足石刻研究院","text":"#千万IP创科普# 千年石刻为什么不怕风吹雨打这背后有岩石学有水文学咨询13912345678我们用一组实验带你看懂大足石刻的保护科学","url":"https://m.weibo.cn/detail/5201000000000005","likes":20500,"comments":1100,"shares":3300}
{"platform":"weibo","post_id":"5201000000000006","created_at":"2025-09-20 12:00","author_name":"渝中转发君","text":"说得太好了，推荐！//@重庆科技馆:#千万IP创科普# 渝中区的科普日活动","url":"https://m.weibo.cn/detail/5201000000000006","likes":12,"comments":1,"shares":0}
{"platform":"douyin","post_id":"7410000000000000007","created_at":"2025-09-22 16:20","author_name":"<b>武隆</b>旅游","text":"#千万IP创科普 #武隆 <script>alert(1)</script>天生三桥是怎么形成的？喀斯特地貌一分钟讲清楚","url":"https://www.douyin.com/video/7410000000000000007","views":120000,"likes":8000,"comments":300,"shares":500,"favorites":700}
EOF
# covers: the fake platform server serves a real picture for each post
# (its image servers' URL shapes and hotlink rules); the repost has none
start_fake --data "$T/posts.ndjson" --images
/usr/bin/python3 - "$T/posts.ndjson" "$PORT" "$T/with-covers.ndjson" <<'PY'
import json, sys, urllib.request
imgs = {(x["platform"], x["post_id"]): x["url"] for x in
        json.load(urllib.request.urlopen("http://127.0.0.1:%s/_control/images" % sys.argv[2]))}
with open(sys.argv[3], "w") as out:
    for p in map(json.loads, open(sys.argv[1], encoding="utf-8")):
        # the fake gives some posts no picture: they borrow one of their platform's
        own = imgs.get((p["platform"], p["post_id"])) or next(u for k, u in imgs.items() if k[0] == p["platform"])
        if p["post_id"] != "5201000000000006":
            p["cover_url"] = own
        out.write(json.dumps(p, ensure_ascii=False) + "\n")
PY
status "import the posts" 0 k import -q "$T/with-covers.ndjson"
status "attribute them" 0 k attribute

feature() { k review feature "$@" --approve --by 张编辑; }
status "feature the Weibo launch" 0 feature weibo:5201000000000001 --note "青少年科创的热情扑面而来。"
status "feature the Douyin dinosaur with an editor's title" 0 feature douyin:7410000000000000002 \
	--title "会说话的恐龙来到涪陵科技馆" --note "把化石讲活了，播放超过九百万次。"
status "feature the Bilibili video" 0 feature bilibili:BV1xK4y1z7aa --note "长江大保护的生动一课。"
status "feature the Hechuan post (a phone number in it)" 0 feature weibo:5201000000000004
status "feature the long unpunctuated post" 0 feature weibo:5201000000000005
status "feature the repost" 0 feature weibo:5201000000000006
status "feature the hostile one" 0 feature douyin:7410000000000000007 --note '<img src=x onerror=alert(5)>讲得清楚'

# ---- an editor's title: checked, recorded, chained ----
status "--title too long: refused" 2 k review feature weibo:5201000000000001 --by 张编辑 \
	--title "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"
check "  says the limit" has "$T/err" "longer than 40 characters"
status "--title blank: refused" 2 k review feature weibo:5201000000000001 --by 张编辑 --title "   "
status "--title on unfeature: not an option" 2 k review unfeature weibo:5201000000000001 --by 张编辑 --title x
status "the review log" 0 k review log douyin:7410000000000000002
check "  the title is in the log beside the feature decision" has "$T/out" "approved -> featured	张编辑	把化石讲活了，播放超过九百万次。	会说话的恐龙来到涪陵科技馆$"
check "  the approval has none" has "$T/out" "pending -> approved	张编辑	.*	-$"
status "the log's chain holds with a title in it" 0 k review verify
sqlite3 "$DB" "DROP TRIGGER review_log_no_update; UPDATE review_log SET title = '改过的标题' WHERE title IS NOT NULL;
  CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log BEGIN SELECT RAISE(ABORT, 'x'); END;" 2>/dev/null
status "a title edited outside kepu breaks the chain" 1 k review verify
check "  named as edited" has "$T/err" "decision #[0-9]*: its content does not match its hash"
sqlite3 "$DB" "DROP TRIGGER review_log_no_update; UPDATE review_log SET title = '会说话的恐龙来到涪陵科技馆' WHERE title IS NOT NULL;
  CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never edited'); END;"
status "put back, it holds again" 0 k review verify

# ---- the showcase ----
status "showcase" 0 k showcase -o "$T/site"
check "  says what it wrote" has "$T/out" "showcase: 7 featured works in 7 groups"
check "  and the covers" has "$T/out" "covers: 6 of 7 works in $T/site/covers/ (6 downloaded now, 0 failed, 0 removed: no longer featured)"
check "  six pictures in covers/" same "$(ls "$T/site/covers" | wc -l)" "6"
check "  the page shows each from covers/, the repost a placeholder" sh -c "[ \$(grep -c '<img src=\"covers/' '$T/site/index.html') = 6 ] &&
  grep -q 'class=\"cover ph ph-weibo\"' '$T/site/index.html'"
check "  og:image: the first cover, absolute under base_url" sh -c "grep -q '<meta property=\"og:image\" content=\"https://kepu.example.cn/showcase/covers/weibo-5201000000000001.gif\">' '$T/site/index.html'"
status "showcase again" 0 k showcase -o "$T/site"
check "  nothing downloaded twice" has "$T/out" "(0 downloaded now, 0 failed, 0 removed"
status "showcase --no-covers" 0 k showcase -o "$T/bare" --no-covers
check "  no picture, no og:image, placeholders" sh -c "! grep -q '<img\|og:image' '$T/bare/index.html' && [ ! -e '$T/bare/covers' ] && [ \$(grep -c 'cover ph ph-' '$T/bare/index.html') = 7 ]"
check "  index.html, showcase.csv, showcase.json" sh -c "[ -s '$T/site/index.html' ] && [ -s '$T/site/showcase.csv' ] && [ -s '$T/site/showcase.json' ]"
P=$T/site/index.html
titles=$(sed -n 's/.*<h3>\(<a [^>]*>\)\{0,1\}\([^<]*\).*/\2/p' "$P")
printf '%s\n' "$titles" >"$T/titles"
want() { grep -qxF -e "$2" "$T/titles" || { echo "    titles: $(tr '\n' '|' <"$T/titles")"; return 1; }; }
check "title: Weibo's 【标题】" want x "万州区青少年科技创新大赛开幕"
check "title: the editor's, not the post's" want x "会说话的恐龙来到涪陵科技馆"
check "title: Bilibili's own, its topic and bracket tag dropped" want x "【江津】一分钟看懂长江鱼类的洄游"
check "title: the first sentence (its ！ kept), a topic inside it keeps its words" want x "太棒了！！在钓鱼城看古代城防里的科学，原来抛石机要算抛物线"
check "title: a long run without punctuation cut with …" sh -c "grep -q '^千年石刻为什么不怕风吹雨打.*…$' '$T/titles'"
check "title: a repost shows the reposter's words, not the chain" want x "说得太好了，推荐！"
check "title: the hostile one as text" want x "&lt;script&gt;alert(1)&lt;/script&gt;天生三桥是怎么形成的？"
check "no hashtag, mention or link in a title" sh -c "! grep -q '#\|@\|http\|\[赞\]' '$T/titles'"
check "no title longer than 40 characters" python3 -c "
import sys,html; t=[html.unescape(l) for l in open(sys.argv[1],encoding='utf-8').read().split('\n') if l]
sys.exit(0 if t and max(map(len,t)) <= 40 else 1)" "$T/titles"
check "figures for people: 927.5万 views, 41.2万 likes" sh -c "grep -q '播放 <b>927.5万</b>' '$P' && grep -q '点赞 <b>41.2万</b>' '$P'"
check "a count under 万 as is: 点赞 88" has "$P" "点赞 <b>88</b>"
check "dates as 9月4日" has "$P" "万州科协 · 微博 · 9月4日"
check "no engagement index, no ISO time, no 'made by kepu'" sh -c "! grep -q '互动指数\|+08:00\|由 kepu\|generator' '$P'"
check "the phone number is masked" sh -c "! grep -rq '13812345678' '$T/site' && grep -q '138\*\*\*\*5678\|详情咨询' '$T/site/showcase.json'"
check "a title is never cut inside a number (no 7 digits of one anywhere)" sh -c "! grep -rqa '1391234' '$T/site' && grep -q '水文学咨询…$' '$T/titles'"
check "the caption is the feature note" has "$P" '<p class="caption">把化石讲活了，播放超过九百万次。</p>'
check "hostile note and author escaped" sh -c "grep -q '&lt;img src=x onerror=alert(5)&gt;讲得清楚' '$P' && grep -q '&lt;b&gt;武隆&lt;/b&gt;旅游' '$P' && ! grep -q '<script\|<img src=x\|<b>武' '$P'"
check "the config's words: title, intro in paragraphs, organizer, footer" sh -c "grep -q '<h1>“科普之光”优秀科普作品展示</h1>' '$P' &&
  grep -q '<p>经内容审核，以下作品入选“科普之光”线上展示。</p>' '$P' && grep -q '主办单位：重庆市科学技术协会' '$P' &&
  grep -q '作品版权归原作者所有。如需转载，请联系作者。' '$P'"
check "the figures above the works" has "$P" "入选作品 <b>7</b> 件 · 来自 <b>7</b> 个区县 · 更新于 20[0-9]*年[0-9]*月[0-9]*日"
check "og:url from showcase.base_url (no trailing slash doubled)" has "$P" '<meta property="og:url" content="https://kepu.example.cn/showcase/">'
check "CSP: no script, pictures only from the page's own site, the style by its hash" has "$P" \
	"default-src 'none'; img-src 'self'; style-src 'sha256-[A-Za-z0-9+/=]*'; base-uri 'none'"
check "the style's hash is the style's" python3 -c "
import base64,hashlib,re,sys; p=open(sys.argv[1],encoding='utf-8').read()
css=re.search(r'<style>(.*?)</style>',p,re.S).group(1); h=re.search(r\"style-src 'sha256-([^']+)'\",p).group(1)
sys.exit(0 if base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()==h else 1)" "$P"
check "showcase.json: the works with title, caption, cover and the shortlist's fields" python3 -c "
import json,sys; d=json.load(open(sys.argv[1],encoding='utf-8')); w={x['post_id']:x for x in d['works']}
x=w['7410000000000000002']
assert d['title']=='“科普之光”优秀科普作品展示' and d['organizer']=='重庆市科学技术协会' and len(d['works'])==7
assert x['title']=='会说话的恐龙来到涪陵科技馆' and x['editor_title']==x['title'] and x['caption']=='把化石讲活了，播放超过九百万次。'
assert x['views']==9274636 and 'cover' in x and 'review_status' in x and x['review_status']=='featured'
assert not any(k in x for k in ('flags', 'flags_open', 'reviewed_by', 'reviewed_at', 'review_note', 'over_per_unit')), x.keys()
assert w['5201000000000001']['editor_title'] is None and w['5201000000000001']['title']=='万州区青少年科技创新大赛开幕'
" "$T/site/showcase.json"
check "showcase.csv: shown titles, captions; CSV-safe" python3 -c "
import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig')))
assert len(r)==7 and 'caption' in r[0] and 'cover' in r[0] and 'index' not in r[0]
assert any(x['title']=='会说话的恐龙来到涪陵科技馆' for x in r)
" "$T/site/showcase.csv"

# ---- the config's words, checked ----
bad_cfg() {
	python3 -c "
import json,sys; c=json.load(open(sys.argv[1])); c['showcase'][sys.argv[2]]=json.loads(sys.argv[3])
json.dump(c,open(sys.argv[4],'w'),ensure_ascii=False)" "$T/kepu.json" "$1" "$2" "$T/bad.json"
	kepu --config "$T/bad.json" --db "$DB" showcase -o "$T/never" >"$T/out" 2>"$T/err"
	[ $? -eq 2 ] && grep -q "$3" "$T/err" && [ ! -e "$T/never" ]
}
check "base_url not http(s): refused, named" bad_cfg base_url '"ftp://x/"' "showcase.base_url: expected the page's address"
check "base_url without a host: refused" bad_cfg base_url '"https:///"' "showcase.base_url: expected the page's address"
check "base_url with a quote: refused" bad_cfg base_url '"https://x/\"><script>"' "showcase.base_url"
check "title on two lines: refused" bad_cfg title '"科普\n之光"' "showcase.title: control character at byte 6 (one line only)"
check "title too long: refused with the count" bad_cfg title "\"$(printf '科%.0s' $(seq 61))\"" "showcase.title: 61 characters, at most 60"
check "an unknown key: refused" bad_cfg titel '"x"' "titel"

# ---- in the browser ----
cat >"$T/expect.json" <<'EOF'
{"works": 7, "covers": 6, "units": ["万州区", "涪陵区", "渝中区", "大足区", "江津区", "合川区", "武隆区"],
 "base_url": "https://kepu.example.cn/showcase"}
EOF
/usr/bin/python3 tests/showcase_check.py "$T/site" "$T/expect.json" >"$T/browser.out" 2>&1
sed 's/^/    /' "$T/browser.out" | grep -v '^    ok ' | grep -v 'passed, .* failed$'
bp=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$T/browser.out")
bf=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$T/browser.out")
if [ -z "$bp" ]; then
	bad "the browser checks did not finish"
	tail -n 20 "$T/browser.out"
else
	passed=$((passed + bp))
	failed=$((failed + bf))
fi

# ---- a work leaves the showcase: its cover leaves the published directory ----
status "unfeature the Weibo launch" 0 k review unfeature weibo:5201000000000001 --by 张编辑
status "showcase after it" 0 k showcase -o "$T/site"
check "  its cover is removed, the others kept" sh -c "[ ! -e '$T/site/covers/weibo-5201000000000001.gif' ] && [ \$(ls '$T/site/covers' | wc -l) = 5 ]"
check "  and it says so" has "$T/out" "covers: 5 of 6 works .*(0 downloaded now, 0 failed, 1 removed: no longer featured)"
echo keep >"$T/site/covers/README.txt"
status "showcase again" 0 k showcase -o "$T/site"
check "  a file kepu did not write is left alone" test -f "$T/site/covers/README.txt"

summary
