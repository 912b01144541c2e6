// SPDX-License-Identifier: GPL-3.0-or-later
// The organiser's panel: logs in, then keeps the event's figures on screen,
// asking the server for them again as soon as they change (a held request).
'use strict';

const panel = {
  language: 'pt_BR',
  strings: {},
  state: null,
  polling: false,
  lastOk: null,
};

function t (key, ...args) {
  let text = panel.strings[key] || key;
  for (const arg of args)
    text = text.replace('%s', arg);
  return text;
}

function locale () {
  return panel.language.replace('_', '-');
}

function money (centavos) {
  const currency = (panel.state && panel.state.event && panel.state.event.currency) || 'BRL';
  return new Intl.NumberFormat(locale (), { style: 'currency', currency }).format ((centavos || 0) / 100);
}

function count (value) {
  return new Intl.NumberFormat(locale ()).format (value || 0);
}

function zone () {
  return (panel.state && panel.state.event && panel.state.event.timezone) || 'UTC';
}

function time (iso, withDay) {
  if (!iso)
    return t ('never');
  const options = { hour: '2-digit', minute: '2-digit', timeZone: zone () };
  if (withDay) {
    options.day = '2-digit';
    options.month = '2-digit';
  }
  return new Intl.DateTimeFormat(locale (), options).format (new Date(iso));
}

function hourLabel (hour) {
  // "2026-12-12T21:00:00-03:00": the event's hour already.
  return hour.substring (11, 16);
}

function element (tag, attributes, ...children) {
  const node = document.createElement (tag);
  for (const [name, value] of Object.entries (attributes || {}))
    if (value !== undefined && value !== null)
      node.setAttribute (name, value);
  for (const child of children)
    node.append (child instanceof Node ? child : document.createTextNode (String (child)));
  return node;
}

function table (headings, rows, id) {
  const head = element ('tr', {}, ...headings.map ((h) => element ('th', { scope: 'col' }, h)));
  const body = rows.map ((row) => {
    const tr = element ('tr', row.className ? { class: row.className } : {});
    row.cells.forEach ((cell, i) => {
      const td = element ('td', {}, cell);
      if (row.cellClass && row.cellClass[i])
        td.className = row.cellClass[i];
      tr.append (td);
    });
    return tr;
  });
  return element ('table', { id }, element ('thead', {}, head), element ('tbody', {}, ...body));
}

function section (id, title, ...content) {
  return element ('section', { class: 'card', id }, element ('h2', {}, title), ...content);
}

function empty () {
  return element ('p', { class: 'empty' }, t ('nothing_yet'));
}

function figure (id, value, caption, tone) {
  return element ('div', { class: 'card figure' + (tone ? ' ' + tone : ''), id },
                  element ('div', { class: 'value' }, value), element ('div', { class: 'caption' }, caption));
}

function bars (rows, value, label, format) {
  const max = Math.max (1, ...rows.map (value));
  return element ('div', { class: 'bars' }, ...rows.map ((row) =>
    element ('div', { class: 'row' }, element ('span', {}, label (row)),
             element ('div', { class: 'track' }, element ('div', { class: 'fill', style: `width: ${Math.round (100 * value (row) / max)}%` })),
             element ('span', { class: 'num' }, format (value (row))))));
}

function render () {
  const s = panel.state;
  const figures = document.getElementById ('figures');
  const sections = document.getElementById ('sections');
  const seesSales = s.role !== 'door';
  const seesDoors = s.role !== 'bar';
  const list = [];

  document.getElementById ('title').textContent = (s.event && s.event.name) || t ('title');
  document.title = (s.event && s.event.name ? s.event.name + ' — ' : '') + 'PDV';
  document.getElementById ('who').textContent = `${s.name} · ${t ('role_' + s.role)}`;

  figures.replaceChildren ();
  if (seesSales) {
    const net = (s.terminals || []).reduce ((sum, x) => sum + (x.sales_total || 0), 0);
    const made = (s.terminals || []).reduce ((sum, x) => sum + (x.sales || 0), 0);
    figures.append (figure ('net-sales', money (net), t ('net_sales')), figure ('sales-count', count (made), t ('sales_count')));
  }
  if (seesDoors) {
    const capacity = (s.event && s.event.capacity) || 0;
    const share = capacity > 0 ? Math.round (100 * s.inside / capacity) : null;
    figures.append (figure ('inside', count (s.inside), t ('inside')));
    if (share !== null)
      figures.append (figure ('occupancy', share + ' %', t ('of_capacity', count (capacity)),
                              share >= 100 ? 'bad' : share >= 90 ? 'warn' : null));
  }
  if (seesSales && s.fichas)
    figures.append (figure ('fichas-outstanding', count (s.fichas.total.outstanding), t ('outstanding') + ' · ' + t ('fichas')));
  figures.append (figure ('conflicts', count (s.conflicts), t ('conflicts'), s.conflicts > 0 ? 'warn' : null));

  if (seesSales) {
    const terminals = (s.terminals || []).filter ((x) => x.sales > 0);
    list.push (section ('per-bar', t ('per_bar'), terminals.length === 0 ? empty () :
      table ([t ('terminal'), t ('sales'), t ('amount')],
             terminals.map ((x) => ({ cells: [x.name, count (x.sales), money (x.sales_total)] })), 'per-bar-table')));
    const methods = ['cash', 'card', 'pix', 'voucher'];
    list.push (section ('per-method', t ('per_method'),
      table (['', t ('amount')], methods.map ((m) => ({ cells: [t (m), money (s.payments[m])] })), 'methods-table')));
    const hours = (s.hours || []).filter ((h) => h.sales_total);
    list.push (section ('per-hour', t ('per_hour'), hours.length === 0 ? empty () :
      bars (hours, (h) => h.sales_total, (h) => hourLabel (h.hour), money)));
    const products = [...(s.products || [])].sort ((a, b) => b.total - a.total).slice (0, 10);
    list.push (section ('top-products', t ('top_products'), products.length === 0 ? empty () :
      table ([t ('product'), t ('qty'), t ('amount')],
             products.map ((p) => ({ cells: [p.name || p.product, count (p.qty), money (p.total)] })), 'products-table')));
    if (s.fichas && s.fichas.products.length > 0) {
      const rows = s.fichas.products.map ((f) => ({ cells: [f.name || f.product, count (f.issued), count (f.served), count (f.revoked), count (f.outstanding)] }));
      const total = s.fichas.total;
      rows.push ({ className: 'total', cells: [t ('total'), count (total.issued), count (total.served), count (total.revoked), count (total.outstanding)] });
      const parts = [table ([t ('product'), t ('issued'), t ('served'), t ('revoked'), t ('outstanding')], rows, 'fichas-table')];
      if (s.fichas.counters.length > 0)
        parts.push (table ([t ('counter'), t ('served'), t ('refusals'), t ('served_twice')],
                           s.fichas.counters.map ((c) => ({ cells: [c.counter, count (c.served), count (c.refused), count (c.served_twice)] }))));
      list.push (section ('fichas', t ('fichas'), ...parts));
    }
  }
  if (seesDoors) {
    const gates = s.gates || [];
    list.push (section ('per-gate', t ('per_gate'), gates.length === 0 ? empty () :
      table ([t ('gate'), t ('entries'), t ('exits'), t ('refusals')],
             gates.map ((g) => ({ cells: [g.gate, count (g.entries), count (g.exits), count (g.refusals)] })), 'gates-table')));
    const hours = (s.hours || []).filter ((h) => h.checkins);
    list.push (section ('checkins-hour', t ('checkins_hour'), hours.length === 0 ? empty () :
      bars (hours, (h) => h.checkins, (h) => hourLabel (h.hour), count)));
    const zones = s.zones || [];
    if (zones.length > 0)
      list.push (section ('zones', t ('zone'),
        table ([t ('zone'), t ('inside')], zones.map ((z) => ({ cells: [z.zone || '—', count (z.inside)] })))));
  }
  const now = s.generated_at ? new Date(s.generated_at) : new Date();
  list.push (section ('terminals', t ('terminals'), (s.terminals || []).length === 0 ? empty () :
    table ([t ('terminal'), t ('last_seen'), t ('entries_stored')], s.terminals.map ((x) => {
      const silent = !x.last_seen || now - new Date(x.last_seen) > 5 * 60 * 1000;
      return { cells: [x.name, silent ? t ('offline_since', time (x.last_seen, true)) : time (x.last_seen),
                       count (x.entries)], cellClass: [null, silent ? 'offline' : null, null] };
    }), 'terminals-table')));
  sections.replaceChildren (...list);
}

function showStatus () {
  const status = document.getElementById ('status');
  if (panel.lastOk && Date.now () - panel.lastOk > 10000) {
    status.className = 'status stale';
    status.textContent = t ('unreachable', time (new Date(panel.lastOk).toISOString ()));
  } else if (panel.state) {
    status.className = 'status live';
    status.textContent = t ('updated', time (panel.state.generated_at));
  }
}

function show (view) {
  document.getElementById ('login-view').hidden = view !== 'login';
  document.getElementById ('board').hidden = view !== 'board';
  document.getElementById ('logout').hidden = view !== 'board';
  for (const format of ['csv', 'pdf']) {
    const link = document.getElementById ('export-' + format);
    link.hidden = view !== 'board';
    link.href = `/v1/panel/export?format=${format}&lang=${encodeURIComponent (panel.language)}`;
  }
  if (view === 'login') {
    document.getElementById ('who').textContent = '';
    document.getElementById ('status').textContent = '';
  }
}

async function poll () {
  if (panel.polling)
    return;
  panel.polling = true;
  while (panel.polling) {
    const after = panel.state ? `?after=${encodeURIComponent (panel.state.version)}&wait=25` : '';
    let answer;
    try {
      answer = await fetch ('/v1/panel/state' + after, { credentials: 'same-origin', cache: 'no-store' });
    } catch (e) {
      showStatus ();
      await new Promise ((resolve) => setTimeout (resolve, 2000));
      continue;
    }
    if (answer.status === 401) {
      panel.polling = false;
      panel.state = null;
      show ('login');
      return;
    }
    if (!answer.ok) {
      showStatus ();
      await new Promise ((resolve) => setTimeout (resolve, 2000));
      continue;
    }
    panel.state = await answer.json ();
    panel.lastOk = Date.now ();
    show ('board');
    render ();
    showStatus ();
  }
}

async function loadStrings () {
  const answer = await fetch (`/v1/panel/strings?lang=${encodeURIComponent (panel.language)}`, { cache: 'no-store' });
  panel.strings = (await answer.json ()).strings || {};
  document.documentElement.lang = locale ();
  const set = (id, key) => { document.getElementById (id).textContent = t (key); };
  set ('login-title', 'login');
  set ('login-button', 'login');
  set ('name-label', 'name');
  set ('password-label', 'password');
  set ('logout', 'logout');
  set ('language-label', 'language');
  set ('export-csv', 'export_csv');
  set ('export-pdf', 'export_pdf');
  for (const format of ['csv', 'pdf'])
    document.getElementById ('export-' + format).href =
      `/v1/panel/export?format=${format}&lang=${encodeURIComponent (panel.language)}`;
  if (!panel.state)
    document.getElementById ('title').textContent = t ('title');
  if (panel.state) {
    render ();
    showStatus ();
  }
}

async function logIn (event) {
  event.preventDefault ();
  const error = document.getElementById ('login-error');
  const body = JSON.stringify ({ name: document.getElementById ('name').value,
                                 password: document.getElementById ('password').value });
  const answer = await fetch ('/v1/panel/login', { method: 'POST', credentials: 'same-origin',
                                                   headers: { 'Content-Type': 'application/json' }, body });
  if (answer.ok) {
    error.hidden = true;
    document.getElementById ('password').value = '';
    poll ();
    return;
  }
  const reason = await answer.json ().catch (() => ({}));
  const code = reason.error && (reason.error.code || reason.error);
  if (code === 'locked')
    error.textContent = t ('locked', String (Math.ceil ((answer.headers.get ('Retry-After') || 900) / 60)));
  else if (code === 'too_many_logins')
    error.textContent = t ('too_many_logins');
  else
    error.textContent = t ('wrong_login');
  error.hidden = false;
}

async function logOut () {
  panel.polling = false;
  await fetch ('/v1/panel/logout', { method: 'POST', credentials: 'same-origin',
                                     headers: { 'Content-Type': 'application/json' }, body: '{}' });
  panel.state = null;
  show ('login');
}

function chooseLanguage () {
  const saved = localStorage.getItem ('pdv-panel-language');
  if (saved)
    return saved;
  const wanted = (navigator.language || 'pt-BR').toLowerCase ();
  if (wanted.startsWith ('es'))
    return 'es';
  if (wanted.startsWith ('en'))
    return 'en';
  return 'pt_BR';
}

document.addEventListener ('DOMContentLoaded', async () => {
  const select = document.getElementById ('language');
  panel.language = chooseLanguage ();
  select.value = panel.language;
  select.addEventListener ('change', () => {
    panel.language = select.value;
    localStorage.setItem ('pdv-panel-language', panel.language);
    loadStrings ();
  });
  document.getElementById ('login-form').addEventListener ('submit', logIn);
  document.getElementById ('logout').addEventListener ('click', logOut);
  setInterval (showStatus, 5000);
  await loadStrings ();
  poll ();
});
