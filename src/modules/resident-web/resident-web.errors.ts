/**
 * A refusal the resident page shows as a page (in Chinese), with its HTTP status; `fields` keeps what the
 * resident typed, so the report form can be shown again filled in.
 */
export class WebPageError extends Error {
  fields: Record<string, string> | null = null;
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410 | 413 | 429 | 500,
    message: string,
  ) {
    super(message);
    this.name = 'WebPageError';
  }

  withFields(fields: Record<string, string>): this {
    this.fields = fields;
    return this;
  }
}
