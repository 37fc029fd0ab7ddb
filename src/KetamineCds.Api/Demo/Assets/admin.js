// Admin page: the key stays in sessionStorage (this tab only); charts are inline SVG drawn here, no library.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const KEY = 'ketamineCdsAdminKey';
  const el = (tag, attrs = {}, text) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = String(text);
    return n;
  };
  const svg = (tag, attrs = {}, text) => {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = String(text);
    return n;
  };

  async function get(path) {
    const r = await fetch(path, { headers: { 'X-Api-Key': sessionStorage.getItem(KEY) || '' } });
    if (r.status === 401 || r.status === 403) throw new Error('the key was refused');
    if (r.status === 404) throw new Error(`${path} is off (no admin key configured)`);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }

  // Horizontal bar chart: rows of [label, value, colour].
  function barChart(title, rows) {
    const width = 520, rowH = 20, left = 190, max = Math.max(1, ...rows.map(r => r[1]));
    const s = svg('svg', { class: 'chart', width, height: rows.length * rowH + 24, role: 'img', 'aria-label': title, 'data-chart': title });
    s.append(svg('text', { x: 0, y: 12, 'font-weight': 600 }, title));
    rows.forEach(([label, value, colour], i) => {
      const y = 20 + i * rowH;
      s.append(svg('text', { x: 0, y: y + 13 }, label));
      s.append(svg('rect', { x: left, y: y + 2, height: rowH - 6, width: Math.max(1, (width - left - 50) * value / max), fill: colour || '#3a78b5' }));
      s.append(svg('text', { x: left + (width - left - 50) * value / max + 6, y: y + 13 }, value));
    });
    return s;
  }

  function renderClients(data) {
    const body = $('clients').tBodies[0];
    body.replaceChildren();
    for (const c of data.clients || []) {
      const tr = el('tr', { 'data-client': c.name });
      const jwks = c.jwksSource === 'url'
        ? `URL ${c.jwksUrl || ''} (${c.jwksFetched ? 'fetched ' + (c.jwksLastFetched || '') : 'not fetched yet'})`
        : 'inline';
      const rejected = c.rejected || {};
      tr.append(el('td', {}, c.name), el('td', {}, c.issuer), el('td', {}, c.tenant || ''), el('td', {}, jwks),
        el('td', {}, (c.allowedFhirServers || []).join(' ')), el('td', {}, c.calls ?? 0), el('td', {}, c.lastCall || 'never'),
        el('td', { class: (rejected['401'] || rejected['429']) ? 'bad' : '' }, `${rejected['401'] ?? 0} / ${rejected['429'] ?? 0}`));
      body.append(tr);
    }
  }

  function renderStats(stats) {
    $('period').textContent = `${stats.from || ''} to ${stats.to || ''}`;
    const root = $('stats');
    root.replaceChildren();
    root.append(barChart('Calls per service', (stats.services || []).map(s => [s.id, s.calls || 0])));
    for (const s of stats.services || []) {
      const section = el('div', { class: 'service', 'data-service': s.id });
      section.append(el('h3', {}, s.id));
      const l = s.latencyMs || {};
      section.append(el('p', { class: 'muted' }, `${s.calls || 0} calls; latency p50 ${l.p50 ?? '-'} ms, p95 ${l.p95 ?? '-'} ms, p99 ${l.p99 ?? '-'} ms`));
      const rows = [];
      for (const c of s.cards || []) {
        rows.push([`${c.topic} shown`, c.shown || 0, '#3a78b5'], [`${c.topic} accepted`, c.accepted || 0, '#2e7d32'], [`${c.topic} overridden`, c.overridden || 0, '#d98b00']);
      }
      if (rows.length) section.append(barChart(`Cards and feedback: ${s.id}`, rows));
      const reasons = (s.cards || []).flatMap(c => (c.overrideReasons || []).map(r => [`${c.topic}: ${r.display || r.code}`, r.count || 0, '#8e5b00']));
      if (reasons.length) section.append(barChart(`Override reasons: ${s.id}`, reasons));
      root.append(section);
    }
    if ((stats.clients || []).length) root.append(barChart('Calls per EHR client', stats.clients.map(c => [c.name, c.calls || 0])));
  }

  async function refresh() {
    if (!sessionStorage.getItem(KEY)) { $('admin-status').textContent = 'Enter the admin API key.'; return; }
    $('admin-status').textContent = 'Loading…';
    try {
      const [clients, stats] = await Promise.all([get('/admin/clients'), get('/admin/stats')]);
      renderClients(clients);
      renderStats(stats);
      $('admin-status').textContent = `Updated ${new Date().toISOString()}`;
      document.body.setAttribute('data-loaded', 'true');
    } catch (e) {
      $('admin-status').textContent = `Could not load: ${e.message}`;
    }
  }

  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $('api-key').value);
    $('api-key').value = '';
    refresh();
  });
  $('forget').addEventListener('click', () => { sessionStorage.removeItem(KEY); $('admin-status').textContent = 'Key forgotten.'; });
  refresh();
})();
