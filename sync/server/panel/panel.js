// SPDX-License-Identifier: GPL-3.0-or-later
// The organiser's panel: logs in, then keeps the event's figures on screen,
// asking the server for them again as soon as they change (a held request).
'use strict';

const panel = {
  language: 'pt_BR',
  strings: {},
  state: null,
  polling: null,     /* the AbortController of the running poll */
  lastOk: null,
};

function t (key, ...args) {
  let text = panel.strings[key] || key;
  for (const arg of args)
    text = text.replace('%s', arg);
  return text.replace('%%', '%');
}

function duration (minutes) {
  if (minutes >= 60)
    return t ('hours_minutes', count (Math.floor (minutes / 60)), count (minutes % 60));
  return t ('minutes', count (minutes));
}

function productName (id) {
  const row = (panel.state.stock || []).find ((s) => s.product === id) ||
              (panel.state.products || []).find ((p) => p.product === id);
  return row ? (row.name || id) : id;
}

function alertText (alert) {
  const value = count (alert.value);
  const threshold = count (alert.threshold);
  switch (alert.kind) {
  case 'stock_below': return t ('alert_stock_below', productName (alert.subject), value, threshold);
  case 'occupancy_at': return t ('alert_occupancy_at', value);
  case 'terminal_silent': return t ('alert_terminal_silent', alert.subject, value);
  case 'conflicts_over': return t ('alert_conflicts_over', value);
  case 'refusal_rate_over': return t ('alert_refusal_rate_over', alert.subject, value);
  default: return alert.message;
  }
}

async function postSettings (path, body) {
  const answer = await fetch (path, { method: 'POST', credentials: 'same-origin',
                                      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify (body) });
  const status = document.getElementById ('status');
  if (!answer.ok) {
    const reason = await answer.json ().catch (() => ({}));
    status.className = 'status stale';
    status.textContent = (reason.error && reason.error.message) || String (answer.status);
  } else {
    status.className = 'status live';
    status.textContent = t ('saved');
    /* Done with the form: the next figures redraw it as saved. */
    if (document.activeElement)
      document.activeElement.blur ();
  }
}

function alertsSection (s) {
  const alerts = s.alerts || [];
  if (alerts.length === 0)
    return section ('alerts', t ('alerts'), element ('p', { class: 'empty' }, t ('alerts_none')));
  const list = element ('ul', { class: 'alerts', id: 'alerts-list' }, ...alerts.map ((a) =>
    element ('li', { class: a.cleared_at ? 'cleared' : 'open', 'data-kind': a.kind },
             element ('span', { class: 'what' }, alertText (a)),
             element ('span', { class: 'when' }, a.cleared_at ? t ('cleared_at', time (a.cleared_at))
                                                             : t ('raised_at', time (a.raised_at))))));
  return section ('alerts', t ('alerts'), list);
}

function stockSection (s) {
  // What is selling or watched by a rule, soonest to run out first.
  const watched = new Set ((s.rules || []).filter ((r) => r.kind === 'stock_below').map ((r) => r.product));
  const stock = (s.stock || []).filter ((r) => r.sold > 0 || watched.has (r.product));
  if (stock.length === 0)
    return null;
  return section ('stock', t ('stock'), table ([t ('product'), t ('stock'), t ('per_hour_pace'), t ('lasts')],
    [...stock].sort ((a, b) => (a.minutes_left ?? 1e9) - (b.minutes_left ?? 1e9) || a.stock - b.stock).slice (0, 15).map ((r) => ({
      cells: [r.name || r.product, count (r.stock), count (r.per_hour),
              r.minutes_left === undefined ? '—' : duration (r.minutes_left)],
      cellClass: [null, r.stock <= 0 ? 'offline' : null, null, r.minutes_left !== undefined && r.minutes_left < 60 ? 'offline' : null] })),
    'stock-table'));
}

function gatePaceSection (s) {
  const rates = s.gate_rates || [];
  if (rates.length === 0)
    return null;
  return section ('gate-pace', t ('gate_pace'), table ([t ('gate'), t ('per_minute'), t ('refused_share')],
    rates.map ((r) => ({ cells: [r.gate, new Intl.NumberFormat(locale (), { maximumFractionDigits: 1 }).format (r.per_minute),
                                 r.scans > 0 ? Math.round (100 * r.refused / r.scans) + ' %' : '—'] })), 'gate-pace-table'));
}

function rulesSection (s) {
  const rules = s.rules || [];
  const kinds = ['stock_below', 'occupancy_at', 'terminal_silent', 'conflicts_over', 'refusal_rate_over'];
  const rows = rules.map ((r, i) => {
    const remove = element ('button', { type: 'button', class: 'small', 'data-rule': String (i) }, t ('remove'));
    remove.addEventListener ('click', () => postSettings ('/v1/panel/rules', { rules: rules.filter ((_, j) => j !== i) }));
    const subject = r.kind === 'stock_below' ? productName (r.product) : r.kind === 'refusal_rate_over' ? (r.gate || t ('any_gate')) : '';
    const tr = element ('tr', {}, element ('td', {}, t ('kind_' + r.kind)), element ('td', {}, subject),
                        element ('td', {}, count (r.threshold)), element ('td', {}, remove));
    return tr;
  });
  const kind = element ('select', { id: 'rule-kind' }, ...kinds.map ((k) => element ('option', { value: k }, t ('kind_' + k))));
  const subject = element ('select', { id: 'rule-subject' });
  const fillSubjects = () => {
    const options = kind.value === 'stock_below' ? (s.stock || []).map ((p) => [p.product, p.name || p.product])
                  : kind.value === 'refusal_rate_over' ? [['', t ('any_gate')], ...(s.gates || []).map ((g) => [g.gate, g.gate])]
                  : [];
    subject.replaceChildren (...options.map (([v, l]) => element ('option', { value: v }, l)));
    subject.hidden = options.length === 0;
  };
  kind.addEventListener ('change', fillSubjects);
  fillSubjects ();
  const threshold = element ('input', { id: 'rule-threshold', type: 'number', min: '0', step: '1', placeholder: t ('threshold') });
  const add = element ('button', { type: 'submit', id: 'rule-add' }, t ('add'));
  const form = element ('form', { class: 'inline', id: 'rule-form' }, kind, subject, threshold, add);
  form.addEventListener ('submit', (event) => {
    event.preventDefault ();
    const rule = { kind: kind.value, threshold: parseInt (threshold.value, 10) || 0 };
    if (kind.value === 'stock_below')
      rule.product = subject.value;
    if (kind.value === 'refusal_rate_over' && subject.value)
      rule.gate = subject.value;
    postSettings ('/v1/panel/rules', { rules: [...rules, rule] });
  });
  const body = element ('tbody', {}, ...rows);
  return section ('rules', t ('rules'), element ('table', { id: 'rules-table' }, body), form);
}

function webhooksSection (s) {
  const hooks = s.webhooks || [];
  const rows = hooks.map ((w, i) => {
    const remove = element ('button', { type: 'button', class: 'small' }, t ('remove'));
    remove.addEventListener ('click', () => postSettings ('/v1/panel/webhooks', { webhooks: hooks.filter ((_, j) => j !== i) }));
    return element ('tr', {}, element ('td', { class: 'url' }, w.url),
                    element ('td', {}, element ('code', { class: 'secret', title: t ('secret') }, w.secret)),
                    element ('td', {}, remove));
  });
  const url = element ('input', { id: 'webhook-url', type: 'url', placeholder: t ('webhook_url') });
  const form = element ('form', { class: 'inline', id: 'webhook-form' }, url, element ('button', { type: 'submit', id: 'webhook-add' }, t ('add')));
  form.addEventListener ('submit', (event) => {
    event.preventDefault ();
    postSettings ('/v1/panel/webhooks', { webhooks: [...hooks, { url: url.value }] });
  });
  const deliveries = (s.deliveries || []).map ((d) => {
    const last = d.log.length > 0 ? d.log[d.log.length - 1] : null;
    return { cells: [d.created_at ? time (d.created_at) : '', t (d.event === 'alert.raised' ? 'event_raised' : 'event_cleared'),
                     t ('status_' + d.status), count (d.attempts), last ? (last.code || last.error || '—') : '—'],
             cellClass: [null, null, d.status === 'failed' ? 'offline' : null, null, null] };
  });
  const parts = [element ('table', { id: 'webhooks-table' }, element ('tbody', {}, ...rows)), form];
  if (deliveries.length > 0)
    parts.push (element ('h2', {}, t ('deliveries')),
                table (['', '', '', t ('attempts'), t ('answer')], deliveries, 'deliveries-table'));
  return section ('webhooks', t ('webhooks'), ...parts);
}

function locale () {
  return panel.language.replace('_', '-');
}

// Money as the event's country writes it, whatever language the panel speaks.
function money (centavos) {
  const currency = (panel.state && panel.state.event && panel.state.event.currency) || 'BRL';
  const where = currency === 'BRL' ? 'pt-BR' : locale ();
  return new Intl.NumberFormat(where, { style: 'currency', currency }).format ((centavos || 0) / 100);
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

  list.push (alertsSection (s));
  if (seesSales) {
    const stock = stockSection (s);
    if (stock)
      list.push (stock);
  }
  if (seesDoors) {
    const pace = gatePaceSection (s);
    if (pace)
      list.push (pace);
  }
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
    table ([t ('terminal'), t ('last_seen'), t ('to_send'), t ('oldest_unsent'), t ('entries_stored'), t ('version')],
           s.terminals.map ((x) => {
      const heard = x.heard_at || x.last_seen;
      const silent = !heard || now - new Date(heard) > 5 * 60 * 1000;
      const late = x.oldest_unsynced && now - new Date(x.oldest_unsynced) > 10 * 60 * 1000;
      return { cells: [x.name, silent ? t ('offline_since', time (heard, true)) : time (heard),
                       x.waiting === undefined ? '—' : count (x.waiting),
                       x.oldest_unsynced ? time (x.oldest_unsynced, true) : '—', count (x.entries),
                       (x.version || '').replace ('pdv/', '') || '—'],
               cellClass: [null, silent ? 'offline' : null, null, late ? 'offline' : null, null, null] };
    }), 'terminals-table')));
  if (s.role === 'organiser')
    list.push (rulesSection (s), webhooksSection (s));
  /* What is being typed into a form stays across updates. */
  const typing = document.activeElement && document.activeElement.matches ('form.inline input, form.inline select')
                 ? document.activeElement.closest ('form.inline') : null;
  if (typing)
    return sections.replaceChildren (...list.map ((node) => node.id === typing.closest ('section').id
                                                   ? typing.closest ('section') : node));
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

/* Follows the figures while the session lasts. One loop at a time: a
 * logout aborts the loop's held request, and what a loop of an earlier
 * session still gets back is dropped (it must not end the next one). */
async function poll () {
  if (panel.polling)
    return;
  const polling = new AbortController ();
  panel.polling = polling;
  while (panel.polling === polling) {
    const after = panel.state ? `?after=${encodeURIComponent (panel.state.version)}&wait=25` : '';
    let answer, state;
    try {
      answer = await fetch ('/v1/panel/state' + after, { credentials: 'same-origin', cache: 'no-store',
                                                         signal: polling.signal });
      state = answer.ok ? await answer.json () : null;
    } catch (e) {
      if (panel.polling !== polling)
        return;
      showStatus ();
      await new Promise ((resolve) => setTimeout (resolve, 2000));
      continue;
    }
    if (panel.polling !== polling)
      return;
    if (answer.status === 401) {
      panel.polling = null;
      panel.state = null;
      show ('login');
      return;
    }
    if (!answer.ok) {
      showStatus ();
      await new Promise ((resolve) => setTimeout (resolve, 2000));
      continue;
    }
    panel.state = state;
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
  const answer = await fetch ('/v1/panel/logout', { method: 'POST', credentials: 'same-origin',
                                                    headers: { 'Content-Type': 'application/json' }, body: '{}' })
    .catch (() => null);
  if (!answer || !answer.ok) {
    /* The session goes on: say so, and stay on the board. */
    const status = document.getElementById ('status');
    status.className = 'status stale';
    status.textContent = t ('logout_failed');
    return;
  }
  if (panel.polling)
    panel.polling.abort ();
  panel.polling = null;
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
