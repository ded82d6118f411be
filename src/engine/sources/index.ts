/** Signed inbound event sources (Lever first) and the connection directory port they verify against. */
export {
  createMemoryConnectionDirectory,
  reject,
  type ConnectionDirectory,
  type EventSource,
  type InboundDelivery,
  type RefusalKind,
  type Rejection,
  type Verdict,
} from "./source.ts";
export { createLeverSource, leverDedupeKey, isLeverTestPing, type LeverSourceOptions } from "./lever-source.ts";
