/** Orders and categories as the spec's service requests and services (both formats share these items). */
import { OPEN311_STATUS_NOTES, open311Texts } from '../../i18n/zh-CN.open311';
import { type Item, open311Status, w3cDateTime } from './open311.models';
import type { RequestRow, activeCategories } from './open311.repository';

type CategoryRow = Awaited<ReturnType<typeof activeCategories>>[number];

const KIND_GROUPS: Record<string, string> = { consultation: '咨询', help: '求助', complaint: '投诉', emergency: '紧急' };

export function serviceItem(c: CategoryRow): Item {
  return {
    service_code: c.code,
    service_name: c.name,
    description: open311Texts.serviceNotice(c),
    metadata: false,
    type: 'realtime',
    keywords: c.keywords.slice(0, 12).join(', '),
    group: KIND_GROUPS[c.kind] ?? c.kind,
  };
}

/**
 * A service request. What a resident wrote and where (description, address, coordinates, media) is given only
 * to a caller with an API key: the GET methods need none, and a resident's own words can identify them.
 */
export function requestItem(r: RequestRow, { full }: { full: boolean }): Item {
  const item: Item = {
    service_request_id: String(r.no),
    status: open311Status(r.status),
    status_notes: r.status === 'merged' && r.mergedIntoNo ? open311Texts.mergedInto(r.mergedIntoNo) : OPEN311_STATUS_NOTES[r.status],
    service_name: r.categoryName,
    service_code: r.categoryCode,
  };
  if (full) item.description = r.text;
  Object.assign(item, {
    agency_responsible: r.unitName,
    service_notice: open311Texts.serviceNotice(r),
    requested_datetime: w3cDateTime(r.createdAt),
    updated_datetime: w3cDateTime(r.updatedAt),
    expected_datetime: r.deadlineAt ? w3cDateTime(r.deadlineAt) : null,
  });
  if (full) {
    Object.assign(item, {
      address: r.locationText,
      address_id: r.gridCode,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: r.mediaUrl,
    });
  }
  return item;
}
