import { consoleTexts } from '../../i18n/zh-CN.console';
import { type SafeHtml, html } from './html';
import { csrfField } from './layout';

const t = consoleTexts.imports;

/** More than this many import errors are counted, not listed: the first ones are enough to fix the file. */
export const MAX_IMPORT_ERRORS_SHOWN = 200;

/**
 * A refused import's problems, all at once and at the top of the page (`id` anchors it), each already worded with
 * its line or feature, and a link down to the form (`formAnchor`) to correct and send it again.
 */
export function importErrorList({ id, formAnchor, formTitle, errors }: { id: string; formAnchor: string; formTitle: string; errors: readonly string[] }): SafeHtml | '' {
  if (errors.length === 0) return '';
  const shown = errors.slice(0, MAX_IMPORT_ERRORS_SHOWN);
  return html`<div class="flash flash-error" role="alert" id="${id}"><p>${t.failed(errors.length)}</p><ul class="errors">${shown.map(
    (e) => html`<li>${e}</li>`,
  )}</ul>${errors.length > shown.length ? html`<p>${t.moreErrors(errors.length - shown.length)}</p>` : ''}<p><a href="#${formAnchor}">${formTitle}</a></p></div>`;
}

/**
 * An import form: a file picker whose bytes console.js puts (base64) into the hidden `fileField`, so the server can
 * tell the file's encoding, or text pasted into `textField`, sent back filled after a refusal.
 */
export function importForm({
  anchor,
  title,
  action,
  csrf,
  hint,
  fileLabel,
  accept,
  fileField,
  textField,
  inputId,
  placeholder,
  text,
  submit,
}: {
  anchor: string;
  title: string;
  action: string;
  csrf: { csrfToken: string };
  hint: string;
  fileLabel: string;
  accept: string;
  fileField: string;
  textField: string;
  /** The textarea's id; the hidden field's is `<inputId>-file`. */
  inputId: string;
  placeholder: string;
  text: string;
  submit: string;
}): SafeHtml {
  return html`<h2 id="${anchor}">${title}</h2>
<form method="post" action="${action}" class="card stack">${csrfField(csrf)}
  <p class="muted small">${hint}</p>
  <label class="field">${fileLabel}<input type="file" accept="${accept}" data-bytes="${inputId}-file" data-clear="${inputId}"></label>
  <input type="hidden" id="${inputId}-file" name="${fileField}" value="">
  <textarea id="${inputId}" name="${textField}" rows="8" required placeholder="${placeholder}">${text}</textarea>
  <div><button type="submit">${submit}</button></div>
</form>`;
}
