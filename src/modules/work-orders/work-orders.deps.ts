import type { Database } from '../../db/client';
import type { Clock } from '../../shared/clock';
import type { Tokenize } from '../../shared/text/tokenizer';
import type { CalendarProvider } from '../calendar/calendar.repository';
import type { CategoryProvider } from '../categories/categories.repository';
import type { DemandClassifier } from '../classification/classifier.repository';
import type { DemandContentOf } from '../classification/demand-content.cache';
import type { LlmReader } from '../classification/llm-reader';
import type { DispatchDirectoryProvider } from '../departments/departments.repository';

/** What the order use cases need, passed in (no globals). */
export type OrderDeps = {
  db: Database;
  clock: Clock;
  calendar: CalendarProvider;
  categories: CategoryProvider;
  tokenize: Tokenize;
  /** What a recent order's text is about, for the duplicate check; kept across demands (see createDemandContentCache). */
  demandContent: DemandContentOf;
  /** The trained category model (with the keywords as its floor); without it the keywords alone classify. */
  classifier?: DemandClassifier;
  /** The optional language-model reader (LLM_URL); the offline classifier decides when it is absent or fails. */
  llm?: LlmReader;
  /**
   * The departments, their members and the 派单目录 (cached); without it they are read from the database before
   * each transaction that needs them.
   */
  dispatchDirectory?: DispatchDirectoryProvider;
  /** Which bot account's outbox new messages go to. */
  botAccount?: string;
};

/**
 * Through which channel an event came: it is recorded on the timeline. 'direct' is a WeChat 1:1, 'wecom' the
 * 企业微信 app of staff.
 */
export type Channel = 'group' | 'direct' | 'wecom' | 'console' | 'open311' | 'web' | 'system';
