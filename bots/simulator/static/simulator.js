// The simulator page: sends what the chosen person types, polls what the bot sent. Plain browser JavaScript, no
// build, no CDN. Text only ever goes into the page through textContent, never as markup.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const config = JSON.parse($('sim-config').textContent);
  const L = config.labels;
  const form = $('say');
  const fromSel = $('from');
  const roomSel = $('room');
  const mention = $('mention');
  const textBox = $('text');
  const sendBtn = $('send');
  const errorBox = $('error');
  const log = $('log');
  const empty = $('empty');
  const only = $('only');
  const statusBox = $('status');
  const membersList = $('members');

  const kindRadios = [...document.querySelectorAll('input[name="kind"]')];
  const parts = [...document.querySelectorAll('.part')];
  const imageInput = $('image');
  const voiceInput = $('voice');

  let since = Number(config.since) || 0;
  let contacts = { groups: [], staff: [], residents: [] };
  let roomChosenByHand = false;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const clock = (iso) => new Date(iso).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
  const currentConv = () => (roomSel.value ? `room:${roomSel.value}` : `direct:${fromSel.value}`);

  function applyFilter() {
    const conv = currentConv();
    for (const li of log.children) li.hidden = only.checked && li.dataset.conv !== conv;
  }

  function append(li) {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.appendChild(li);
    empty.hidden = true;
    if (only.checked) li.hidden = li.dataset.conv !== currentConv();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function botEntry(e) {
    const li = el('li', 'msg bot');
    li.dataset.conv = e.room ? `room:${e.room}` : `direct:${e.to || ''}`;
    const meta = el('div', 'meta');
    const time = el('time', '', clock(e.at));
    time.dateTime = e.at;
    meta.append(time, ' ', el('b', '', config.botName), ' → ', el('span', '', e.room ? L.roomPrefix + e.room : L.directPrefix + (e.to || '')));
    if (e.mentions && e.mentions.length) meta.append(' ', el('span', 'mention', L.mentionPrefix + e.mentions.join('、')));
    li.append(meta, el('p', 'text', e.text));
    return li;
  }

  // What the person sent, as the log shows it (a photo or voice note by its name, a location by its place).
  function ownText(message) {
    if (message.type === 'image' || message.type === 'voice') return L.sent[message.type] + message.file.name;
    if (message.type === 'location') {
      const l = message.location;
      return L.sent.location + (l.name || l.address || '') + `（${l.lat}, ${l.lng}）`;
    }
    return (message.mentionBot && message.room ? `@${config.botName} ` : '') + message.text;
  }

  function ownEntry(message) {
    const { from, room } = message;
    const li = el('li', 'msg me');
    li.dataset.conv = room ? `room:${room}` : `direct:${from}`;
    const meta = el('div', 'meta');
    meta.append(el('time', '', clock(new Date().toISOString())), ' ', el('b', '', `${from}（${L.you}）`), ' → ', el('span', '', room ? L.roomPrefix + room : L.direct));
    li.append(meta, el('p', 'text', ownText(message)));
    return li;
  }

  const currentKind = () => (kindRadios.find((r) => r.checked) || { value: 'text' }).value;

  function showKind() {
    const kind = currentKind();
    for (const part of parts) part.hidden = part.dataset.kind !== kind;
    // Only text can @ the bot (a photo or a location carries no mention).
    mention.disabled = !roomSel.value || kind !== 'text';
  }

  // The file as base64, bounded before it is read (the server checks again, and the content too).
  function readFile(input, kind) {
    const file = input.files && input.files[0];
    if (!file) return Promise.reject(new Error(L.chooseFile));
    if (file.size > config.maxBytes) return Promise.reject(new Error(L.tooLarge));
    if (kind === 'image' && file.type && !config.imageTypes.includes(file.type)) return Promise.reject(new Error(L.imageType));
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        const url = String(reader.result);
        resolve({ name: file.name, type: file.type || null, base64: url.slice(url.indexOf(',') + 1) });
      };
      reader.onerror = () => reject(new Error(L.chooseFile));
      reader.readAsDataURL(file);
    });
  }

  // The message to post for the chosen kind; null when there is nothing to send yet.
  async function buildMessage() {
    const base = { from: fromSel.value, room: roomSel.value || null, wait: false };
    const kind = currentKind();
    if (kind === 'image' || kind === 'voice') {
      return { ...base, type: kind, file: await readFile(kind === 'image' ? imageInput : voiceInput, kind) };
    }
    if (kind === 'location') {
      const name = $('loc-name').value.trim();
      const address = $('loc-address').value.trim();
      const lat = Number($('loc-lat').value);
      const lng = Number($('loc-lng').value);
      if (!(name || address) || $('loc-lat').value === '' || $('loc-lng').value === '' || !Number.isFinite(lat) || !Number.isFinite(lng)) {
        throw new Error(L.missingLocation);
      }
      return { ...base, type: 'location', location: { name: name || null, address: address || null, lat, lng } };
    }
    const text = textBox.value.trim();
    if (!text) return null;
    return { ...base, type: 'text', text, mentionBot: mention.checked && !!roomSel.value };
  }

  function clearInputs(message) {
    if (message.type === 'text') textBox.value = '';
    if (message.type === 'image') imageInput.value = '';
    if (message.type === 'voice') voiceInput.value = '';
  }

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const res = await fetch(`/api/simulator/transcript?since=${since}`, { cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      const entries = await res.json();
      for (const e of entries) append(botEntry(e));
      since += entries.length;
      statusBox.hidden = true;
    } catch {
      statusBox.textContent = L.offline;
      statusBox.hidden = false;
    } finally {
      polling = false;
    }
  }

  function showMembers() {
    membersList.replaceChildren();
    const group = contacts.groups.find((g) => g.topic === roomSel.value);
    if (!group) return;
    for (const m of group.members) {
      const li = el('li', m.role === 'resident' ? 'resident' : 'staff', m.name);
      if (m.role !== 'resident') li.append(' ', el('small', '', config.roles[m.role] || m.role));
      li.title = m.name;
      li.addEventListener('click', () => {
        fromSel.value = m.name;
        applyFilter();
      });
      membersList.append(li);
    }
  }

  // Choosing a resident moves to their grid's group, until someone picks a conversation by hand.
  function followSpeaker() {
    const grid = fromSel.selectedOptions[0] && fromSel.selectedOptions[0].dataset.grid;
    if (!roomChosenByHand && grid) {
      const option = [...roomSel.options].find((o) => o.dataset.grid === grid);
      if (option) roomSel.value = option.value;
    }
    showKind();
    showMembers();
    applyFilter();
  }

  fromSel.addEventListener('change', followSpeaker);
  for (const r of kindRadios) r.addEventListener('change', showKind);
  roomSel.addEventListener('change', () => {
    roomChosenByHand = true;
    showKind();
    showMembers();
    applyFilter();
  });
  only.addEventListener('change', applyFilter);
  for (const b of document.querySelectorAll('.example')) {
    b.addEventListener('click', () => {
      textBox.value = b.dataset.text;
      textBox.focus();
    });
  }
  textBox.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    sendBtn.disabled = true;
    sendBtn.textContent = L.sending;
    try {
      const message = await buildMessage();
      if (!message) return;
      const res = await fetch('/api/simulator/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.message || String(res.status));
      }
      append(ownEntry(message));
      clearInputs(message);
      // Replies go through the outbox; look a few times in quick succession rather than wait for the next tick.
      for (const ms of [150, 400, 900]) setTimeout(poll, ms);
    } catch (error) {
      errorBox.textContent = L.sendFailed + (error && error.message ? error.message : '');
      errorBox.hidden = false;
    } finally {
      sendBtn.disabled = false;
      sendBtn.textContent = L.send;
    }
  });

  fetch('/api/simulator/contacts', { cache: 'no-store' })
    .then((res) => res.json())
    .then((c) => {
      contacts = c;
      followSpeaker();
    })
    .catch(() => {});
  followSpeaker();
  log.scrollTop = log.scrollHeight;
  setInterval(poll, 1000);
})();
