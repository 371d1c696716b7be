// app.js: the workspace's pages (served by `kepu serve`; web/README in the
// project's README).  Plain DOM, no library: every value from the server
// goes in as text (textContent, attributes), never as HTML.
'use strict';

const state = { user: null, csrf: null, units: [], queue: { page: 1, sel: 0 } };

// ---- small helpers ----

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

function toast(text, bad) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = bad ? 'bad' : '';
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, bad ? 6000 : 2500);
}

// 927.5万, 1.2亿: figures for people
function fmt(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1e8) return (n / 1e8).toFixed(n >= 1e9 ? 0 : 1).replace(/\.0$/, '') + '亿';
  if (n >= 1e4) return (n / 1e4).toFixed(n >= 1e6 ? 0 : 1).replace(/\.0$/, '') + '万';
  return String(n);
}

function count(w, key) {
  const v = fmt(w[key]);
  return (w.lower_bounds || []).includes(key) && w[key] !== null ? v + '+' : v;
}

function day(iso) { return iso ? iso.slice(0, 10) : ''; }
function when(unix) {
  const d = new Date((unix + 8 * 3600) * 1000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

const platformLabels = {
  weibo: '微博', bilibili: '哔哩哔哩', douyin: '抖音', xiaohongshu: '小红书', kuaishou: '快手',
  wechat_channels: '视频号', toutiao: '今日头条', zhihu: '知乎', wechat_mp: '公众号',
};
const platformLabel = (p) => platformLabels[p] || p;

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  if (method !== 'GET' && state.csrf) opt.headers['X-CSRF-Token'] = state.csrf;
  let res;
  try {
    res = await fetch(path, opt);
  } catch (e) {
    toast('无法连接服务器', true);
    throw e;
  }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401 && path !== '/api/login') {
    state.user = null;
    showLogin('登录已过期，请重新登录');
    throw new Error('401');
  }
  return { status: res.status, data: data || {} };
}

// ---- login ----

function showLogin(message) {
  document.getElementById('top').hidden = true;
  const main = clear(document.getElementById('main'));
  const msg = el('p', { class: 'error', id: 'login-error', role: 'alert' }, message || '');
  const user = el('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const pw = el('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { class: 'login', id: 'login-form' },
    el('h1', {}, '千万IP创科普 · 工作台'),
    el('label', {}, '用户名', user),
    el('label', {}, '密码', pw),
    el('button', { type: 'submit', id: 'login-submit' }, '登录'),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await api('POST', '/api/login', { user: user.value, password: pw.value });
    pw.value = '';
    if (r.status === 200) {
      setUser(r.data);
      route();
    } else {
      msg.textContent = r.data.error || '登录失败';
    }
  });
  main.append(form);
  user.focus();
}

function setUser(s) {
  state.user = s;
  state.csrf = s.csrf;
  document.getElementById('top').hidden = false;
  document.getElementById('me').textContent = s.user + '（' + s.role_label + (s.unit_name ? ' · ' + s.unit_name : '') + '）';
  const nav = clear(document.getElementById('nav'));
  for (const [hash, label] of pages()) nav.append(el('a', { href: hash, 'data-page': hash }, label));
}

function pages() {
  const r = state.user ? state.user.role : '';
  const p = [['#/report', '数据看板']];
  if (r === 'reviewer' || r === 'admin') p.push(['#/review', '审核'], ['#/log', '审核记录'], ['#/preview', '展示预览']);
  if (r === 'district') p.push(['#/review', '本区作品']);
  if (r === 'district' || r === 'admin') p.push(['#/claims', '区县认领'], ['#/accounts', '账号登记']);
  return p;
}

// ---- 数据看板 ----

function table(heads, rows) {
  return el('div', { class: 'scroll' }, el('table', {},
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c)))))));
}

function unitPicker(value, onchange, allLabel) {
  const s = el('select', { id: 'unit-picker', 'aria-label': '区县' },
    el('option', { value: '' }, allLabel || '全市'),
    state.units.map((u) => el('option', { value: u.code, selected: u.code === value }, u.name)));
  s.addEventListener('change', () => onchange(s.value));
  return s;
}

async function showReport(unit) {
  const main = clear(document.getElementById('main'));
  const own = state.user.role === 'district';
  main.append(el('h1', {}, '数据看板'));
  if (!own) main.append(el('p', { class: 'tools' }, '区县：', unitPicker(unit, (v) => showReport(v))));
  const q = unit ? '?district=' + encodeURIComponent(unit) : '';
  const r = await api('GET', '/api/report' + q);
  if (r.status !== 200) { main.append(el('p', { class: 'error' }, r.data.error || '无法读取报告')); return; }
  const d = r.data, t = d.totals || {};
  main.append(el('p', { class: 'muted' }, (d.window.district || '重庆市') + ' · ' + d.window.since + ' 至 ' + d.window.until));
  main.append(el('div', { class: 'cards', id: 'totals' },
    [['作品', t.posts], ['作者', t.authors], ['播放', t.views], ['点赞', t.likes], ['评论', t.comments], ['转发', t.shares], ['收藏', t.favorites]]
      .map(([k, v]) => el('div', { class: 'card stat' }, el('b', {}, fmt(v)), el('span', {}, k)))));
  if (d.districts) {
    main.append(el('h2', {}, '区县排行'));
    // the model lists units in the gazetteer's order; the board ranks them
    // as the report does: by engagement index, then by works
    const ranked = d.districts.slice().sort((a, b) => b.index - a.index || b.posts - a.posts);
    main.append(table(['名次', '区县', '作品', '作者', '播放', '点赞', '互动指数', '占全市', ''],
      ranked.map((x, i) => [i + 1, x.district, x.posts, x.authors, fmt(x.views), fmt(x.likes), x.index, x.share + '%',
        x.needs_attention ? el('span', { class: 'state rejected' }, '需关注') : ''])));
  }
  if (d.platforms) {
    main.append(el('h2', {}, '平台'));
    main.append(table(['平台', '作品', '播放', '点赞', '评论', '转发'],
      d.platforms.map((x) => [x.label || platformLabel(x.platform), x.posts, fmt(x.views), fmt(x.likes), fmt(x.comments), fmt(x.shares)])));
  }
  if (d.daily) {
    const max = Math.max(1, ...d.daily.map((x) => x.posts));
    main.append(el('h2', {}, '每日作品'));
    main.append(el('div', { class: 'bars' }, d.daily.map((x) =>
      el('div', { class: 'bar', title: x.date + '：' + x.posts + ' 条' },
        el('span', { class: 'fill', style: null, 'data-h': Math.round(100 * x.posts / max) }),
        el('small', {}, x.date.slice(8))))));
    for (const f of main.querySelectorAll('.bar .fill')) f.style.height = f.dataset.h + '%';
  }
  const works = d.top_works || d.works || [];
  if (works.length) {
    main.append(el('h2', {}, '热门作品'));
    main.append(table(['名次', '标题', '作者', '平台', '区县', '播放', '点赞'],
      works.slice(0, 20).map((w, i) => [w.rank || i + 1, link(w), w.author_name || '', platformLabel(w.platform), w.district || '', count(w, 'views'), count(w, 'likes')])));
  }
}

function link(w) {
  return w.url ? el('a', { href: w.url, target: '_blank', rel: 'noopener noreferrer' }, w.title || w.post)
    : (w.title || w.post_id);
}

// ---- 审核 ----

const decisions = [
  ['approve', '通过', 'a'], ['reject', '驳回', 'r'], ['feature', '入选', 'f'], ['unfeature', '取消入选', 'u'],
];

function filters() {
  const f = state.queue;
  const st = el('select', { id: 'f-status', 'aria-label': '状态' },
    [['pending', '待审核'], ['approved', '已通过'], ['rejected', '未通过'], ['featured', '已入选'], ['all', '全部']]
      .map(([v, l]) => el('option', { value: v, selected: (f.status || 'pending') === v }, l)));
  const pf = el('select', { id: 'f-platform', 'aria-label': '平台' }, el('option', { value: '' }, '全部平台'),
    Object.entries(platformLabels).map(([v, l]) => el('option', { value: v, selected: f.platform === v }, l)));
  const flagged = el('input', { type: 'checkbox', id: 'f-flagged', checked: !!f.flagged });
  const q = el('input', { id: 'f-q', type: 'search', placeholder: '搜索标题、作者、编号', value: f.q || '' });
  const go = () => {
    f.status = st.value; f.platform = pf.value; f.flagged = flagged.checked; f.q = q.value; f.page = 1; f.sel = 0;
    showQueue();
  };
  st.addEventListener('change', go); pf.addEventListener('change', go); flagged.addEventListener('change', go);
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
  const bits = [st, pf];
  if (state.user.role !== 'district') bits.push(unitPicker(f.district || '', (v) => { f.district = v; go(); }, '全部区县'));
  bits.push(el('label', { class: 'check' }, flagged, '仅看有标记的'), q);
  return el('div', { class: 'tools' }, bits);
}

// The work's cover from this server (/covers/...), in a box of fixed shape;
// the platform's name shows until the picture has loaded, and stays when
// there is none or it cannot be had.
function coverBox(w) {
  const label = el('span', {}, platformLabel(w.platform));
  const box = el('div', { class: 'cover' }, label);
  if (w.cover) {
    const img = el('img', { src: w.cover, alt: w.title || w.post, loading: 'lazy', decoding: 'async' });
    img.addEventListener('load', () => box.classList.add('loaded'));
    img.addEventListener('error', () => { img.remove(); box.classList.remove('loaded'); });
    box.prepend(img);
  }
  return box;
}

function card(w, i, canDecide) {
  const note = el('textarea', { class: 'note', rows: 2, placeholder: '理由（驳回必填；入选时作为展示说明）', 'aria-label': '理由' });
  const buttons = canDecide ? decisions.filter(([d]) => allowed(w.status, d)).map(([d, label, key]) =>
    el('button', { type: 'button', class: 'decide ' + d, 'data-decision': d, title: '快捷键 ' + key.toUpperCase(),
      onclick: () => decide(w, d, note.value) }, label)) : [];
  if (canDecide && (w.status === 'pending' || w.status === 'rejected'))
    buttons.push(el('button', { type: 'button', class: 'decide feature', 'data-decision': 'approve-feature',
      onclick: () => decide(w, 'feature', note.value, true) }, '通过并入选'));
  const flags = (w.flags || []).map((f) => el('li', { class: w.flags_open ? 'flag open' : 'flag' },
    el('b', {}, f.reason_label || f.reason || f.rule), ' ', el('code', {}, f.match)));
  const counts = [['播放', 'views'], ['点赞', 'likes'], ['评论', 'comments'], ['转发', 'shares'], ['收藏', 'favorites']]
    .filter(([, k]) => w[k] !== null && w[k] !== undefined).map(([l, k]) => l + ' ' + count(w, k)).join(' · ');
  const hist = (w.history || []).map((h) => el('li', {}, when(h.at) + ' ' + h.by + '：' + h.to_label + (h.note ? '（' + h.note + '）' : '')));
  return el('article', { class: 'work' + (i === state.queue.sel ? ' sel' : ''), 'data-post': w.post, tabindex: 0 },
    coverBox(w),
    el('div', { class: 'body' },
      el('h3', {}, link(w)),
      el('p', { class: 'meta' }, [platformLabel(w.platform), w.author_name, w.district || '未归属区县', day(w.created_at)].filter(Boolean).join(' · '),
        ' ', el('span', { class: 'state ' + w.status }, w.status_label), w.deleted ? el('span', { class: 'state rejected' }, '已删除') : null),
      el('p', { class: 'text' }, w.text || ''),
      el('p', { class: 'muted' }, counts + (counts ? ' · ' : '') + '互动指数 ' + w.index),
      flags.length ? el('ul', { class: 'flags' }, flags) : null,
      hist.length ? el('details', {}, el('summary', {}, '审核记录（' + hist.length + '）'), el('ul', {}, hist)) : null,
      canDecide ? el('div', { class: 'actions' }, note, el('div', {}, buttons)) : null));
}

function allowed(status, d) {
  return { approve: status === 'pending' || status === 'rejected', reject: status === 'pending' || status === 'approved',
    feature: status === 'approved', unfeature: status === 'featured' }[d];
}

async function decide(w, decision, note, approve) {
  const r = await api('POST', '/api/review', { posts: [w.post], decision, note, approve: !!approve });
  if (r.status === 200) {
    const done = { approve: '已通过', reject: '已驳回', feature: '已入选', unfeature: '已取消入选' }[decision];
    toast(done + '：' + (w.title || w.post));
    showQueue();
  } else if (r.status === 409 && r.data.refused) {
    toast(r.data.refused.map((x) => x.error).join('；'), true);
  } else {
    toast(r.data.error || '操作失败', true);
  }
}

async function showQueue() {
  const f = state.queue;
  const main = clear(document.getElementById('main'));
  const canDecide = state.user.role === 'reviewer' || state.user.role === 'admin';
  main.append(el('h1', {}, canDecide ? '审核' : '本区作品'));
  if (canDecide) main.append(el('p', { class: 'muted keys' }, '快捷键：J/K 上下移动，A 通过，R 驳回（先写理由），F 入选，U 取消入选'));
  main.append(filters());
  const p = new URLSearchParams();
  p.set('status', f.status || 'pending');
  if (f.platform) p.set('platform', f.platform);
  if (f.district) p.set('district', f.district);
  if (f.flagged) p.set('flagged', '1');
  if (f.q) p.set('q', f.q);
  p.set('page', f.page);
  const r = await api('GET', '/api/queue?' + p);
  if (r.status !== 200) { main.append(el('p', { class: 'error' }, r.data.error || '无法读取')); return; }
  state.works = r.data.works;
  const pages = Math.max(1, Math.ceil(r.data.total / r.data.per_page));
  main.append(el('p', { class: 'muted', id: 'queue-total' }, '共 ' + r.data.total + ' 件作品，第 ' + r.data.page + ' / ' + pages + ' 页'));
  if (!r.data.works.length) main.append(el('p', { class: 'empty' }, '没有符合条件的作品'));
  main.append(el('div', { class: 'queue' }, r.data.works.map((w, i) => card(w, i, canDecide))));
  main.append(el('p', { class: 'pager' },
    el('button', { type: 'button', disabled: f.page <= 1, onclick: () => { f.page--; f.sel = 0; showQueue(); } }, '上一页'),
    el('button', { type: 'button', disabled: f.page >= pages, onclick: () => { f.page++; f.sel = 0; showQueue(); } }, '下一页')));
}

function queueKeys(ev) {
  if (location.hash !== '#/review' || !state.works || !state.works.length) return;
  if (ev.target.matches('input, textarea, select')) return;
  const f = state.queue, cards = document.querySelectorAll('.work');
  const w = state.works[f.sel];
  const key = ev.key.toLowerCase();
  if (key === 'j' || key === 'k') {
    f.sel = Math.min(state.works.length - 1, Math.max(0, f.sel + (key === 'j' ? 1 : -1)));
    cards.forEach((c, i) => c.classList.toggle('sel', i === f.sel));
    cards[f.sel].scrollIntoView({ block: 'nearest' });
    return;
  }
  const d = decisions.find(([, , k]) => k === key);
  if (!d || !w || !(state.user.role === 'reviewer' || state.user.role === 'admin') || !allowed(w.status, d[0])) return;
  decide(w, d[0], cards[f.sel].querySelector('.note').value);
}

// ---- 审核记录 ----

async function showLog() {
  const main = clear(document.getElementById('main'));
  main.append(el('h1', {}, '审核记录'));
  const q = el('input', { id: 'log-post', placeholder: '作品编号，如 weibo:4951234567890123' });
  const box = el('div', {});
  const load = async () => {
    const r = await api('GET', '/api/log' + (q.value ? '?post=' + encodeURIComponent(q.value) : ''));
    clear(box);
    if (r.status !== 200) { box.append(el('p', { class: 'error' }, r.data.error || '无法读取')); return; }
    box.append(table(['时间', '作品', '决定', '审核人', '理由'],
      r.data.entries.map((x) => [when(x.at), x.post_platform + ':' + x.post_id, x.to_label, x.by, x.note || ''])));
  };
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') load(); });
  main.append(el('p', { class: 'tools' }, q, el('button', { type: 'button', onclick: load }, '查询')), box);
  load();
}

// ---- 区县认领 ----

async function showClaims(page) {
  const main = clear(document.getElementById('main'));
  const admin = state.user.role === 'admin';
  main.append(el('h1', {}, '区县认领'));
  main.append(el('p', { class: 'muted' }, admin ? '尚未归属区县的作品：选择区县并写明理由。'
    : '尚未归属区县的作品：确认是本区县的，勾选后认领（写明理由）。'));
  const r = await api('GET', '/api/claims?page=' + (page || 1));
  if (r.status !== 200) { main.append(el('p', { class: 'error' }, r.data.error || '无法读取')); return; }
  const note = el('input', { id: 'claim-note', placeholder: '理由，如：作者为本区科协' });
  const unit = admin ? unitPicker('', () => {}, '选择区县') : null;
  const boxes = r.data.works.map((w) => el('input', { type: 'checkbox', value: w.post, 'aria-label': '选择' }));
  const claim = async () => {
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (!chosen.length) { toast('请先勾选作品', true); return; }
    if (admin && !unit.value) { toast('请选择区县', true); return; }
    let ok = 0;
    for (const post of chosen) {
      const res = await api('POST', '/api/district', { post, unit: admin ? unit.value : undefined, note: note.value });
      if (res.status === 200) ok++;
      else toast(post + '：' + (res.data.error || '失败'), true);
    }
    if (ok) toast('已认领 ' + ok + ' 件作品');
    showClaims(page);
  };
  main.append(el('p', { class: 'tools' }, unit, note, el('button', { type: 'button', id: 'claim', onclick: claim }, '认领所选')));
  main.append(el('p', { class: 'muted' }, '共 ' + r.data.total + ' 件'));
  main.append(table(['', '标题', '作者', '平台', '发布', '播放'],
    r.data.works.map((w, i) => [boxes[i], link(w), w.author_name || '', platformLabel(w.platform), day(w.created_at), count(w, 'views')])));
}

// ---- 账号登记 ----

async function showAccounts() {
  const main = clear(document.getElementById('main'));
  const admin = state.user.role === 'admin';
  main.append(el('h1', {}, '账号登记'));
  main.append(el('p', { class: 'muted' }, '登记本单位的官方账号：这些账号发布的作品直接归属本区县（最可靠的依据）。'
    + '登记或移除后，该账号已入库的作品立即重新归属。'));
  const platform = el('select', { id: 'acc-platform', 'aria-label': '平台' },
    Object.entries(platformLabels).map(([v, l]) => el('option', { value: v }, l)));
  const id = el('input', { id: 'acc-id', placeholder: '账号 ID（如微博 UID）' });
  const name = el('input', { id: 'acc-name', placeholder: '或账号名称（昵称）' });
  const note = el('input', { id: 'acc-note', placeholder: '备注，如：区科协官方号' });
  const unit = admin ? unitPicker('', () => {}, '选择区县') : null;
  const add = async () => {
    const r = await api('POST', '/api/accounts', { platform: platform.value, author_id: id.value.trim(),
      author_name: name.value.trim(), unit: admin ? unit.value : undefined, note: note.value });
    if (r.status === 200) {
      toast('已登记；该账号已入库作品 ' + r.data.posts + ' 件，其中 ' + r.data.moved + ' 件改变了归属');
      showAccounts();
    } else toast(r.data.error || '登记失败', true);
  };
  main.append(el('div', { class: 'tools' }, platform, id, name, unit, note,
    el('button', { type: 'button', id: 'acc-add', onclick: add }, '登记')));
  const r = await api('GET', '/api/accounts');
  if (r.status !== 200) { main.append(el('p', { class: 'error' }, r.data.error || '无法读取')); return; }
  const remove = async (a) => {
    const res = await api('POST', '/api/accounts/remove', { id: a.id });
    if (res.status === 200) { toast('已移除；' + res.data.moved + ' 件作品改变了归属'); showAccounts(); }
    else toast(res.data.error || '移除失败', true);
  };
  main.append(el('h2', {}, '已登记的账号（' + r.data.accounts.length + '）'));
  main.append(table(['平台', '账号 ID', '账号名称', '区县', '备注', '登记人', ''],
    r.data.accounts.map((a) => [a.platform_label, a.author_id || '', a.author_name || '', a.unit_name, a.note || '',
      a.from === 'config' ? '配置文件' : (a.added_by || ''),
      a.from === 'config' ? '' : el('button', { type: 'button', class: 'reject', 'data-remove': a.id, onclick: () => remove(a) }, '移除')])));
}

// ---- 展示预览 ----

function showPreview() {
  const main = clear(document.getElementById('main'));
  main.append(el('h1', {}, '展示预览'));
  const publish = async () => {
    const r = await api('POST', '/api/showcase/publish', {});
    if (r.status === 200) toast('已发布：' + r.data.works + ' 件入选作品');
    else toast(r.data.error || '发布失败', true);
  };
  main.append(el('p', { class: 'tools' }, '这是发布后公众看到的页面。',
    el('button', { type: 'button', id: 'publish', onclick: publish }, '发布')));
  main.append(el('iframe', { class: 'preview', src: '/api/showcase/preview', title: '展示预览' }));
}

// ---- the router ----

async function route() {
  if (!state.user) {
    const r = await api('GET', '/api/session').catch(() => null);
    if (!r || r.status !== 200 || !r.data.user) { showLogin(); return; }
    setUser(r.data);
  }
  if (!state.units.length) {
    const u = await api('GET', '/api/units');
    state.units = u.data.units || [];
  }
  const hash = location.hash || '#/report';
  const known = pages().map(([h]) => h);
  const page = known.includes(hash) ? hash : '#/report';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('on', a.dataset.page === page);
  if (page === '#/review') return showQueue();
  if (page === '#/log') return showLog();
  if (page === '#/claims') return showClaims(1);
  if (page === '#/accounts') return showAccounts();
  if (page === '#/preview') return showPreview();
  return showReport('');
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('logout').addEventListener('click', async () => {
    await api('POST', '/api/logout', {}).catch(() => null);
    state.user = null; state.csrf = null;
    showLogin('已退出');
  });
  window.addEventListener('hashchange', () => { if (state.user) route(); });
  document.addEventListener('keydown', queueKeys);
  route();
});
