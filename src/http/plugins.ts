import type { HttpPlugin } from './app';

/** The console's feature routes, in registration order. */
export const consolePlugins: HttpPlugin[] = [];

// --- the console (issue 5): the base (cookies, forms, /static) must come before every page plugin ---
import { consoleBase } from './console-base';
import { authRoutes } from '../modules/auth/auth.routes';
consolePlugins.push(consoleBase, authRoutes);
