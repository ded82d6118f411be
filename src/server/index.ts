/** The HTTP server: the app, its context and its one error type. */
export { createApp } from "./app.ts";
export { HttpError } from "./http-error.ts";
export type { AppContext } from "./context.ts";
// What the CLI uses beside the app: first-run setup, users, and the four-eyes rule it shares with the console.
export { ensureBootstrapToken } from "./api/index.ts";
export {
  ensureFirstAdmin,
  firstAdminBanner,
  fourEyesRequired,
  createUser,
  findUserByEmail,
  generatePassword,
  listUsers,
  ROLES,
  setPassword,
  updateUser,
  UserError,
  type Role,
} from "./console/index.ts";
