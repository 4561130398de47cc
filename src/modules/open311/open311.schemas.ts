/** Zod schemas of the Open311 GeoReport v2 interface: they validate at the edge and describe it at /docs. */
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR } from '../../shared/ids';
import { MAX_DEMAND_TEXT } from '../../shared/text/limits';

/** Form fields arrive as strings and an empty field means "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).optional());
const coordinate = (min: number, max: number) => z.preprocess(blankToUndefined, z.coerce.number().min(min).max(max).optional());
const dateTime = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(40)
    .refine((s) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
      message: 'a w3c date-time such as 2026-11-23T10:00:00+08:00',
    })
    .refine((s) => Number(s.slice(0, 4)) >= MIN_YEAR && Number(s.slice(0, 4)) <= MAX_YEAR, { message: `a year from ${MIN_YEAR} to ${MAX_YEAR}` })
    .optional(),
);
const commaList = (item: RegExp, what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(2000)
      .refine((s) => s.split(',').every((p) => item.test(p.trim())), { message: `comma-separated ${what}` })
      .optional(),
  );

export const formatParams = z.object({ format: z.enum(['json', 'xml']).describe('json or xml') });
export const requestParams = formatParams.extend({ id: z.string().regex(/^\d{1,9}$/, 'a service_request_id (the order number)') });

export const commonQuery = z.looseObject({
  jurisdiction_id: optionalText(100),
  api_key: optionalText(200).describe('optional on GET: with a valid key, description, address, coordinates and media are included'),
});

export const requestsQuery = commonQuery.extend({
  service_request_id: commaList(/^\d{1,9}$/, 'order numbers').describe('overrides every other filter'),
  service_code: commaList(/^[A-Za-z0-9_-]{1,64}$/, 'service codes'),
  start_date: dateTime,
  end_date: dateTime,
  status: commaList(/^(open|closed)$/, 'statuses: open, closed'),
});

export const postRequestBody = z.looseObject({
  api_key: optionalText(200),
  jurisdiction_id: optionalText(100),
  service_code: z.string().min(1).max(64).describe('a category code from services'),
  description: optionalText(MAX_DEMAND_TEXT).describe(`required here: what the resident reports (at most ${MAX_DEMAND_TEXT} characters)`),
  address_string: optionalText(500).describe('a grid’s full name in it decides the grid'),
  address_id: optionalText(64).describe('a grid code (takes precedence over address_string)'),
  lat: coordinate(-90, 90),
  long: coordinate(-180, 180),
  first_name: optionalText(100),
  last_name: optionalText(100),
  phone: optionalText(40).describe('free text, as the spec has it; for finding the resident again only its digits and a leading + count'),
  email: optionalText(200),
  device_id: optionalText(200),
  account_id: optionalText(200),
  media_url: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/ }).max(2000).optional()),
});

// --- responses (JSON; the XML has the same fields as elements) ---

export const errorList = z
  .array(z.object({ code: z.number().int(), description: z.string() }))
  .describe('the spec’s error shape; XML: <errors><error><code/><description/></error></errors>');

export const serviceList = z.array(
  z.object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean(),
    type: z.string(),
    keywords: z.string(),
    group: z.string(),
  }),
);

const nullableString = z.string().nullable();

export const requestList = z.array(
  z.object({
    service_request_id: z.string(),
    status: z.enum(['open', 'closed']),
    status_notes: z.string(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string().optional(),
    agency_responsible: z.string(),
    service_notice: z.string(),
    requested_datetime: z.string(),
    updated_datetime: z.string(),
    expected_datetime: nullableString,
    address: nullableString.optional(),
    address_id: z.string().optional(),
    zipcode: nullableString.optional(),
    lat: z.number().nullable().optional(),
    long: z.number().nullable().optional(),
    media_url: nullableString.optional(),
  }),
);

export const createdList = z.array(
  z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: nullableString }),
);

export const errorResponses = { 400: errorList, 403: errorList, 404: errorList };
