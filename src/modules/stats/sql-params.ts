/** A list of ids as one array parameter ('{1,2,3}' cast to int[]): one plan whatever the length, on both drivers. */
export function intArray(ids: readonly number[]): string {
  return `{${ids.map((id) => Math.trunc(id)).join(',')}}`;
}
