import { type SafeHtml, html, raw } from '../../src/http/views/html';
import { SIMULATOR_ROLE_LABELS, simulatorTexts as t } from '../../src/i18n/zh-CN.simulator';
import { mediaTexts } from '../../src/i18n/zh-CN.media';
import type { TranscriptEntry, WorldContacts } from '../testing/mock-world';
import { SIMULATOR_IMAGE_TYPES, SIMULATOR_MAX_FILE_BYTES, SIMULATOR_VOICE_EXTENSIONS } from './simulator.media';

const m = mediaTexts.simulator;
const MAX_MB = SIMULATOR_MAX_FILE_BYTES / 1024 / 1024;
/** What the voice picker offers: any audio, and WeChat's silk/amr by name (browsers know no type for them). */
const VOICE_ACCEPT = ['audio/*', ...SIMULATOR_VOICE_EXTENSIONS.map((e) => `.${e}`)].join(',');

const roleLabel = (role: string) => SIMULATOR_ROLE_LABELS[role] ?? role;

/** China time, as the people using it read it, whatever the server's zone. */
function clockTime(at: Date): string {
  return at.toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
}

/** One bot message; the page's script builds the same markup for new ones (see static/simulator.js). */
function entry(e: TranscriptEntry, botName: string): SafeHtml {
  const conv = e.room ? `room:${e.room}` : `direct:${e.to ?? ''}`;
  return html`<li class="msg bot" data-conv="${conv}">
  <div class="meta"><time datetime="${e.at.toISOString()}">${clockTime(e.at)}</time> <b>${t.bot(botName)}</b> → <span>${e.room ? t.inRoom(e.room) : t.toDirect(e.to ?? '')}</span>${
    e.mentions.length ? html` <span class="mention">${t.mentions(e.mentions)}</span>` : ''
  }</div>
  <p class="text">${e.text}</p>
</li>`;
}

/**
 * The simulator page: who speaks, where, what; the bot's messages below, kept current by a small script that
 * polls the transcript. Everything shown is escaped; the page's settings travel as JSON that no script runs.
 */
export function renderSimulatorPage({
  botName,
  contacts,
  transcript,
}: {
  botName: string;
  contacts: WorldContacts;
  transcript: TranscriptEntry[];
}): SafeHtml {
  // The script's texts, resolved here so the script needs no copy of the formatting rules.
  const config = JSON.stringify({
    since: transcript.length,
    botName,
    labels: {
      you: t.you,
      send: t.send,
      sending: t.sending,
      sendFailed: t.sendFailed,
      offline: t.offline,
      directPrefix: t.toDirect(''),
      roomPrefix: t.inRoom(''),
      mentionPrefix: t.mentions([]),
      direct: t.direct(botName),
      sent: m.sentPrefix,
      chooseFile: m.chooseFile,
      tooLarge: m.errors.tooLarge(MAX_MB),
      imageType: m.errors.imageType,
      missingLocation: m.errors.missingLocation,
    },
    maxBytes: SIMULATOR_MAX_FILE_BYTES,
    imageTypes: SIMULATOR_IMAGE_TYPES,
    roles: SIMULATOR_ROLE_LABELS,
  }).replace(/</g, '\\u003c');
  const residentsByGrid = [...contacts.residents].sort((a, b) => (a.grid ?? '').localeCompare(b.grid ?? '', 'zh-CN'));

  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} · Gridline</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/simulator/simulator.css">
<script type="application/json" id="sim-config">${raw(config)}</script>
<script src="/simulator/simulator.js" defer></script>
</head>
<body>
<header class="top"><strong>${t.title}</strong> <span>${t.subtitle(botName)}</span></header>
<main class="sim">
<section class="compose" aria-label="${t.speaker}">
  <p class="notice">${t.notice}</p>
  <noscript><p class="error">${t.noscript}</p></noscript>
  <form id="say" autocomplete="off">
    <label for="from">${t.speaker}</label>
    <select id="from" name="from">
      <optgroup label="${t.residents}">${residentsByGrid.map(
        (r) => html`<option value="${r.name}" data-grid="${r.grid ?? ''}">${r.name}${r.grid ? `（${r.grid}）` : ''}</option>`,
      )}</optgroup>
      <optgroup label="${t.staff}">${contacts.staff.map(
        (s) => html`<option value="${s.name}">${s.name}（${s.unit} ${roleLabel(s.role)}）</option>`,
      )}</optgroup>
    </select>
    <label for="room">${t.conversation}</label>
    <select id="room" name="room">
      <option value="">${t.direct(botName)}</option>
      <optgroup label="${t.groups}">${contacts.groups.map(
        (g) => html`<option value="${g.topic}" data-grid="${g.grid ?? ''}">${g.topic}</option>`,
      )}</optgroup>
    </select>
    <label class="check"><input type="checkbox" id="mention" name="mentionBot" checked> ${t.mentionBot(botName)}</label>
    <fieldset class="kinds"><legend>${m.kind}</legend>
      <label class="check"><input type="radio" name="kind" value="text" checked> ${m.kindText}</label>
      <label class="check"><input type="radio" name="kind" value="image"> ${m.kindImage}</label>
      <label class="check"><input type="radio" name="kind" value="voice"> ${m.kindVoice}</label>
      <label class="check"><input type="radio" name="kind" value="location"> ${m.kindLocation}</label>
    </fieldset>
    <div class="part" data-kind="text">
      <label for="text">${t.text}</label>
      <textarea id="text" name="text" rows="3" maxlength="2000" placeholder="${t.textPlaceholder}"></textarea>
      <div class="examples" aria-label="${t.examples}">${t.exampleTexts.map(
        (x) => html`<button type="button" class="example" data-text="${x}">${x}</button>`,
      )}</div>
    </div>
    <div class="part" data-kind="image" hidden>
      <label for="image">${m.imageFile}</label>
      <input type="file" id="image" name="image" accept="${SIMULATOR_IMAGE_TYPES.join(',')}">
      <p class="hint">${m.fileLimit(MAX_MB)}</p>
    </div>
    <div class="part" data-kind="voice" hidden>
      <label for="voice">${m.voiceFile}</label>
      <input type="file" id="voice" name="voice" accept="${VOICE_ACCEPT}">
      <p class="hint">${m.fileLimit(MAX_MB)}</p>
    </div>
    <div class="part" data-kind="location" hidden>
      <label for="loc-name">${m.locationName}</label>
      <input id="loc-name" name="locationName" maxlength="100" placeholder="${m.locationPlaceholder}">
      <label for="loc-address">${m.locationAddress}</label>
      <input id="loc-address" name="locationAddress" maxlength="200">
      <div class="coords">
        <label>${m.lat} <input id="loc-lat" name="lat" type="number" step="any" min="-90" max="90" value="30.274"></label>
        <label>${m.lng} <input id="loc-lng" name="lng" type="number" step="any" min="-180" max="180" value="120.155"></label>
      </div>
    </div>
    <button type="submit" id="send">${t.send}</button>
    <p id="error" class="error" role="alert" hidden></p>
  </form>
  <h2>${t.members}</h2>
  <ul id="members" class="members"></ul>
</section>
<section class="chat" aria-label="${t.chat}">
  <div class="chat-head"><h2>${t.chat}</h2>
    <label class="check"><input type="checkbox" id="only"> ${t.onlyThisConversation}</label></div>
  <p id="status" class="status" hidden></p>
  <ol id="log" class="log" aria-live="polite">${transcript.map((e) => entry(e, botName))}</ol>
  <p id="empty" class="empty"${transcript.length ? html` hidden` : ''}>${t.empty}</p>
</section>
</main>
</body>
</html>`;
}
