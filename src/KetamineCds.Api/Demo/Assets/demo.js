// Demo EHR page: vanilla JS, no external code. Card HTML comes from the server already sanitised
// (Markdig without raw HTML, then HtmlSanitizer); every other string is set with textContent.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  let current = null;

  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  async function post(url, body) {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  async function loadPatients() {
    const patients = await (await fetch('/demo/api/patients')).json();
    const list = $('patient-list');
    for (const p of patients) {
      const li = el('li');
      const b = el('button', { type: 'button', 'data-patient': p.id });
      b.append(el('span', {}, p.name), el('span', { class: 'title' }, p.title));
      b.addEventListener('click', () => openPatient(p, b));
      li.append(b);
      list.append(li);
    }
    document.body.setAttribute('data-ready', 'true');
  }

  async function openPatient(p, button) {
    current = p;
    for (const b of document.querySelectorAll('#patient-list button')) b.setAttribute('aria-current', 'false');
    button.setAttribute('aria-current', 'true');
    $('welcome').hidden = true;
    $('chart').hidden = false;
    $('patient-name').textContent = p.name;
    $('patient-meta').textContent = `${p.gender}, born ${p.birthDate || 'unknown'} · ${p.title}${p.synthea ? ' · Synthea record' : ''}`;
    await runHook(`/demo/api/patients/${encodeURIComponent(p.id)}/open?prefetch=${$('use-prefetch').checked}`, null, 'patient-view');
    await loadReferrals();
  }

  async function order(sign) {
    if (!current) return;
    const kind = $('order-kind').value;
    await runHook(`/demo/api/patients/${encodeURIComponent(current.id)}/orders`, { kind, sign, prefetch: $('use-prefetch').checked }, sign ? 'order-sign' : 'order-select');
  }

  async function runHook(url, body, hook) {
    const cards = $('cards');
    cards.replaceChildren();
    cards.setAttribute('data-state', 'loading');
    $('hook-status').textContent = `Calling ${hook}…`;
    try {
      const result = await post(url, body);
      $('hook-status').textContent = result.error
        ? `${hook}: ${result.error}`
        : `${hook} (${result.prefetch ? 'prefetch' : 'FHIR server'}): ${(result.cards || []).length} card(s)`;
      for (const card of result.cards || []) cards.append(renderCard(card));
      cards.setAttribute('data-hook', hook);
    } catch (e) {
      $('hook-status').textContent = `${hook} failed: ${e.message}`;
    }
    cards.setAttribute('data-state', 'done');
  }

  function renderCard(card) {
    const root = el('article', { class: `card indicator-${card.indicator}`, 'data-card': card.uuid, 'data-topic': card.topic || '', 'data-indicator': card.indicator });
    const head = el('div');
    head.append(el('span', { class: 'badge' }, card.indicator), el('span', { class: 'summary' }, card.summary));
    const detail = el('div', { class: 'detail' });
    detail.innerHTML = card.detailHtml; // sanitised on the server
    const source = el('div', { class: 'source' }, 'Source: ');
    if (card.sourceUrl && /^https?:\/\//.test(card.sourceUrl)) {
      source.append(el('a', { href: card.sourceUrl, target: '_blank', rel: 'noopener noreferrer' }, card.sourceLabel || card.sourceUrl));
    } else {
      source.append(card.sourceLabel || '');
    }
    const links = el('div', { class: 'links' });
    for (const link of card.links || []) {
      const a = el('a', { href: link.url, 'data-link-type': link.type, rel: 'noopener noreferrer' }, link.label);
      if (link.type !== 'smart') a.setAttribute('target', '_blank');
      links.append(a);
    }
    const actions = el('div', { class: 'actions' });
    for (const s of card.suggestions || []) {
      const b = el('button', { type: 'button', class: 'suggestion', 'data-suggestion': s.uuid }, s.label);
      b.addEventListener('click', async () => {
        const r = await post(`/demo/api/cards/${encodeURIComponent(card.uuid)}/accept`, { suggestion: s.uuid });
        finish(root, `Accepted: ${s.label} (feedback HTTP ${r.feedbackStatus}; created ${r.created.join(', ') || 'nothing'})`);
        await loadReferrals();
      });
      actions.append(b);
    }
    const dismiss = el('span', { class: 'dismiss' });
    const reason = el('select', { class: 'override-reason', 'aria-label': 'Override reason' });
    reason.append(el('option', { value: '' }, '(reason)'));
    for (const r of card.overrideReasons || []) reason.append(el('option', { value: r.code }, r.display));
    const comment = el('input', { class: 'override-comment', type: 'text', placeholder: 'comment', 'aria-label': 'Comment' });
    const b = el('button', { type: 'button', class: 'dismiss-button' }, 'Dismiss');
    b.addEventListener('click', async () => {
      const r = await post(`/demo/api/cards/${encodeURIComponent(card.uuid)}/override`, { reason: reason.value || null, comment: comment.value || null });
      finish(root, `Dismissed${reason.value ? ' (' + reason.selectedOptions[0].textContent + ')' : ''} (feedback HTTP ${r.feedbackStatus})`);
    });
    dismiss.append(reason, comment, b);
    actions.append(dismiss);
    root.append(head, detail, source, links, actions);
    return root;
  }

  function finish(root, text) {
    root.classList.add('done');
    for (const b of root.querySelectorAll('button,select,input')) b.disabled = true;
    root.append(el('div', { class: 'outcome' }, text));
  }

  async function loadReferrals() {
    if (!current) return;
    const items = await (await fetch(`/demo/api/patients/${encodeURIComponent(current.id)}/ServiceRequest`)).json();
    const list = $('referrals');
    list.replaceChildren();
    if (items.length === 0) list.append(el('li', { class: 'muted' }, 'none'));
    for (const sr of items) list.append(el('li', { 'data-service-request': sr.id }, `${sr.code?.text || 'ServiceRequest'} (${sr.status}, ${sr.intent}) ServiceRequest/${sr.id}`));
  }

  $('order-select').addEventListener('click', () => order(false));
  $('order-sign').addEventListener('click', () => order(true));
  loadPatients();
})();
