import { createDispatchDirectoryProvider } from './modules/departments/departments.repository';
import type { AppContext, Logger } from './app-context';
import type { Config } from './config/config';
import type { Database, DatabaseKind } from './db/client';
import { createCalendarProvider } from './modules/calendar/calendar.repository';
import { createCategoryProvider } from './modules/categories/categories.repository';
import { createDemandClassifier } from './modules/classification/classifier.repository';
import { createDemandContentCache } from './modules/classification/demand-content.cache';
import { createLlmReader } from './modules/classification/llm-reader';
import type { Clock } from './shared/clock';
import { createJiebaTokenizer } from './shared/text/tokenizer';

const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

/** Builds the context from an open database; tests call it with their own clock and config. */
export function createAppContext({
  config,
  db,
  dbKind,
  clock,
  log = silentLogger,
}: {
  config: Config;
  db: Database;
  dbKind: DatabaseKind;
  clock: Clock;
  log?: Logger;
}): AppContext {
  const calendar = createCalendarProvider({ db });
  const categories = createCategoryProvider({ db });
  const tokenize = createJiebaTokenizer();
  const classifier = createDemandClassifier({
    db,
    tokenize,
    onError: (error) => log.warn({ err: error }, 'the category corrections could not be read; the classifier learns from the shipped set only'),
  });
  const llm = config.LLM_URL
    ? createLlmReader({
        url: config.LLM_URL,
        model: config.LLM_MODEL,
        apiKey: config.LLM_API_KEY,
        timeoutMs: config.LLM_TIMEOUT_MS,
        onError: (error) => log.warn({ err: error }, 'the language-model reader failed; the offline classifier decides'),
      })
    : undefined;
  return {
    config,
    db,
    dbKind,
    clock,
    calendar,
    categories,
    tokenize,
    classifier,
    orderDeps: {
      db,
      clock,
      calendar,
      categories,
      tokenize,
      demandContent: createDemandContentCache({ tokenize }),
      classifier,
      llm,
      dispatchDirectory: createDispatchDirectoryProvider({ db }),
      botAccount: config.BOT_ACCOUNT,
    },
    log,
  };
}
