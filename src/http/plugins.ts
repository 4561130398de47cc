import type { HttpPlugin } from './app';

/** The console's feature routes, in registration order. */
export const consolePlugins: HttpPlugin[] = [];
