import { compactText } from '../../shared/text/normalize';

/** What a language model read in a demand: checked against the categories before anyone uses it. */
export type LlmReading = { categoryCode: string; urgent: boolean; summary: string | null };

export type LlmReader = {
  /** The reading, or null when the server is slow, down or answers nonsense: the offline model then decides. */
  read(input: { text: string; categories: readonly { code: string; name: string }[] }): Promise<LlmReading | null>;
};

/** A demand longer than this is cut before it is sent: the category is in the first lines. */
export const MAX_PROMPT_CHARS = 1000;
const MAX_SUMMARY_CHARS = 60;

/**
 * An optional reader over an OpenAI-compatible /v1/chat/completions endpoint (a local Qwen or DeepSeek server,
 * or a hosted one). Off unless LLM_URL is set. It only ever proposes: the caller keeps the offline model's
 * answer when this returns null, and never lets it lower an urgency the rules found. Every failure (timeout,
 * HTTP error, unparsable or unknown category) is null, reported through onError, never thrown.
 */
export function createLlmReader({
  url,
  model,
  apiKey,
  timeoutMs = 3000,
  fetchImpl = fetch,
  onError = () => {},
}: {
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  onError?: (error: unknown) => void;
}): LlmReader {
  const endpoint = `${url.replace(/\/+$/u, '').replace(/\/v1$/u, '')}/v1/chat/completions`;
  return {
    async read({ text, categories }) {
      try {
        const response = await fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
          body: JSON.stringify({
            model,
            temperature: 0,
            messages: [
              { role: 'system', content: systemPrompt(categories) },
              { role: 'user', content: text.slice(0, MAX_PROMPT_CHARS) },
            ],
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`LLM reader: HTTP ${response.status}`);
        const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
        const content = body.choices?.[0]?.message?.content;
        const reading = typeof content === 'string' ? parseReading(content, categories) : null;
        if (!reading) throw new Error('LLM reader: an answer that is not a reading');
        return reading;
      } catch (error) {
        onError(error);
        return null;
      }
    },
  };
}

/** The instruction: answer with one JSON object naming a category code from the list. */
function systemPrompt(categories: readonly { code: string; name: string }[]): string {
  return [
    'You classify a resident\'s message to a Chinese community hotline.',
    'Answer with one JSON object only: {"category": <code>, "urgent": <true|false>, "summary": <at most 30 Chinese characters>}.',
    'urgent is true when a life may be in danger now (gas, fire, people trapped or injured, flooding with people, collapse, children or elderly at risk).',
    `Category codes: ${categories.map((c) => `${c.code} (${c.name})`).join(', ')}.`,
  ].join('\n');
}

/**
 * The reading in a model's answer: the first JSON object in it (models wrap it in prose or code fences), its
 * category one of the known codes (or names). Anything else is no reading.
 */
export function parseReading(content: string, categories: readonly { code: string; name: string }[]): LlmReading | null {
  const json = content.match(/\{[\s\S]*\}/u)?.[0];
  if (!json) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const { category, urgent, summary } = parsed as Record<string, unknown>;
  if (typeof category !== 'string') return null;
  const known = categories.find((c) => c.code === category.trim() || c.name === category.trim());
  if (!known) return null;
  const cleanSummary = typeof summary === 'string' && compactText(summary) ? summary.trim().slice(0, MAX_SUMMARY_CHARS) : null;
  return { categoryCode: known.code, urgent: urgent === true, summary: cleanSummary };
}
