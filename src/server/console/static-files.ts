/**
 * Serves the built console (`web/dist`): hashed assets cached for a year, `index.html` revalidated
 * every time, precompressed `.br`/`.gz` files when the browser accepts them, and the page itself
 * for every other GET that asks for HTML (the console routes in the browser).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, MiddlewareHandler } from "hono";

/** Where `npm run build:web` puts the console, relative to this file. */
export const DEFAULT_DIST_DIR = join(import.meta.dirname, "../../../web/dist");

export function consoleBuilt(distDir = DEFAULT_DIST_DIR): boolean {
  return existsSync(join(distDir, "index.html"));
}

export function serveConsoleAssets(distDir: string): MiddlewareHandler {
  // Made on first use: the bundle may be built after the server object is created (tests, dev).
  let files: MiddlewareHandler | undefined;
  return async (c, next) => {
    if (!files) {
      if (!existsSync(distDir)) return next();
      files = serveStatic({
        root: distDir,
        precompressed: true,
        onFound: (path, ctx) => {
          ctx.header("Cache-Control", /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache");
        },
      });
    }
    return files(c, next);
  };
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fulcrum</title></head>
<body><main><h1>The console is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p></main></body></html>`;

/** The single page for every client-side route. */
export function serveConsolePage(distDir: string): (c: Context) => Response {
  let cached: string | undefined;
  return (c) => {
    const file = join(distDir, "index.html");
    if (!cached || process.env.NODE_ENV !== "production") cached = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    c.header("Cache-Control", "no-cache");
    if (!cached) return c.html(NOT_BUILT, 503);
    return c.html(cached);
  };
}
