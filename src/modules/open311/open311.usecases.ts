import { createHash } from 'node:crypto';
import { storedPoint } from '../grids/places.models';
import type { Config } from '../../config/config';
import { DomainError } from '../../shared/errors/domain-error';
import type { OrderDeps } from '../work-orders/work-orders.deps';
import { submitDemand } from '../work-orders/intake/submit-demand.usecases';
import { type Open311Status, matchGrid, open311Phone, searchWindow, statusesFor } from './open311.models';
import {
  type RequestRow,
  activeCategories,
  addMediaLink,
  findOrCreateOpen311Resident,
  findOrderNoBySource,
  findRequests,
  loadGrids,
} from './open311.repository';

/** A refusal the routes turn into the spec's error list, with its HTTP status. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly description: string,
  ) {
    super(description);
    this.name = 'Open311Error';
  }
}

export type NewRequest = {
  serviceCode: string;
  description?: string;
  addressString?: string;
  addressId?: string;
  lat?: number;
  long?: number;
  firstName?: string;
  lastName?: string;
  phone?: string;
  mediaUrl?: string;
};

export type CreateOutcome = { created: boolean; no: number; serviceNotice: string };

/**
 * POST requests: finds the grid (see `matchGrid`), finds or creates the Open311 resident by phone, and hands the
 * demand to the same pipeline as the chat (`submitDemand`, channel 'open311', the category from `service_code`,
 * no duplicate dialogue). With an idempotency key, a client's retry returns the first order instead of a second.
 */
export async function createServiceRequest({
  deps,
  config,
  input,
  idempotency,
  texts,
}: {
  deps: OrderDeps;
  config: Config;
  input: NewRequest;
  /** The API key the client used and its Idempotency-Key header, when sent. */
  idempotency?: { apiKey: string; key: string };
  texts: { serviceCode: string; location: string; grid: string; description: string; notice: (no: number) => string };
}): Promise<CreateOutcome> {
  // The key is scoped by a digest of the API key, so two clients' keys never collide and no key is stored.
  const sourceMessageId = idempotency
    ? `open311:${createHash('sha256').update(idempotency.apiKey).digest('hex').slice(0, 16)}:${idempotency.key}`
    : null;
  if (sourceMessageId) {
    const earlier = await findOrderNoBySource(deps.db, sourceMessageId);
    if (earlier !== undefined) return { created: false, no: earlier, serviceNotice: texts.notice(earlier) };
  }

  const category = (await activeCategories(deps.db)).find((c) => c.code === input.serviceCode);
  if (!category) throw new Open311Error(404, texts.serviceCode);
  const description = input.description?.trim();
  if (!description) throw new Open311Error(400, texts.description);
  const hasPoint = input.lat !== undefined && input.long !== undefined;
  // GeoReport clients send WGS-84, the datum every point is stored in.
  const point = hasPoint ? storedPoint({ lat: input.lat!, lng: input.long!, datum: 'wgs84' }) : null;
  if (!input.addressString?.trim() && !input.addressId?.trim() && !hasPoint) throw new Open311Error(400, texts.location);

  const grid = matchGrid({
    addressId: input.addressId,
    addressString: input.addressString,
    point,
    grids: await loadGrids(deps.db),
    defaultGridCode: config.OPEN311_DEFAULT_GRID,
  });
  if (!grid.ok) throw new Open311Error(400, texts.grid);

  const name = [input.firstName?.trim(), input.lastName?.trim()].filter(Boolean).join(' ') || null;
  const phone = open311Phone(input.phone);
  const residentId = await findOrCreateOpen311Resident(deps.db, { phone, name, gridId: grid.gridId, now: deps.clock.now() });

  const result = await submitDemand({
    deps,
    input: {
      sourceMessageId,
      channel: 'open311',
      residentId,
      gridId: grid.gridId,
      text: description,
      locationText: input.addressString?.trim() || null,
      lat: point?.lat ?? null,
      lng: point?.lng ?? null,
      categoryCode: category.code,
      checkDuplicates: false,
    },
  });
  if (result.outcome === 'possible_duplicates') throw new DomainError('CONFLICT', 'unexpected duplicate dialogue');
  if (input.mediaUrl) await addMediaLink(deps.db, { orderId: result.order.id, url: input.mediaUrl, now: deps.clock.now() });
  return { created: result.outcome === 'created', no: result.order.no, serviceNotice: texts.notice(result.order.no) };
}

export type RequestSearch = {
  serviceRequestIds?: number[];
  serviceCodes?: string[];
  statuses?: Open311Status[];
  start?: Date;
  end?: Date;
};

/** GET requests: by ids (which override every other filter, as the spec says), else by window, status and code. */
export async function searchServiceRequests({
  deps,
  search,
  rangeError,
}: {
  deps: Pick<OrderDeps, 'db' | 'clock'>;
  search: RequestSearch;
  rangeError: string;
}): Promise<RequestRow[]> {
  if (search.serviceRequestIds?.length) return findRequests(deps.db, { nos: search.serviceRequestIds });
  const window = searchWindow({ start: search.start, end: search.end, now: deps.clock.now() });
  if (!window.ok) throw new Open311Error(400, rangeError);
  return findRequests(deps.db, {
    from: window.from,
    to: window.to,
    statuses: search.statuses?.length ? statusesFor(search.statuses) : undefined,
    categoryCodes: search.serviceCodes?.length ? search.serviceCodes : undefined,
  });
}
