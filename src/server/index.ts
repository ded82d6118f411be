/** The HTTP server: the app, its context and its one error type. */
export { createApp } from "./app.ts";
export { HttpError } from "./http-error.ts";
export type { AppContext } from "./context.ts";
