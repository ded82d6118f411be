/**
 * The transport: a `node:http` server in front of the Hono app. Faults live here because they act
 * on the connection (dropped sockets, trickled bodies), below anything a framework can express.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { leverErrorBody } from "./errors.ts";
import type { FaultInjector } from "./faults.ts";

type FetchHandler = (request: Request) => Response | Promise<Response>;

const bodyLimitBytes = 35 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > bodyLimitBytes) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    server: "lever-data-api",
    "x-lever-region": "global",
  });
  res.end(text);
}

export async function listen(handler: FetchHandler, faults: FaultInjector, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, leverErrorBody(500, "An unexpected error occurred"));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const delay = faults.latency(method, path);
    if (delay > 0) await sleep(delay);
    const decision = faults.before(method, path);
    if (decision.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (decision.kind === "rate-limit") return sendJson(res, 429, leverErrorBody(429, "Rate limit exceeded"));
    if (decision.kind === "error") {
      return sendJson(
        res,
        decision.status,
        leverErrorBody(decision.status === 503 ? 503 : 500, `Injected ${decision.status} from the sandbox's fault injection`),
      );
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return sendJson(res, 413, leverErrorBody(413, "Request body is larger than 35 MB"));
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
    });
    const response = await handler(request);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (faults.errorAfterWrite(method, path)) {
      return sendJson(res, 500, leverErrorBody(500, "Injected 500 after the write was applied"));
    }
    const outHeaders: Record<string, string> = { server: "lever-data-api", "x-lever-region": "global" };
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    if (response.status !== 204) outHeaders["content-length"] = String(bytes.length);
    res.writeHead(response.status, outHeaders);
    if (bytes.length > 0 && faults.slowBody(method, path)) {
      const pause = faults.config.slowBodyDelayMs ?? 50;
      for (let i = 0; i < bytes.length; i += 64) {
        if (res.destroyed) return;
        res.write(bytes.subarray(i, i + 64));
        await sleep(pause);
      }
      res.end();
      return;
    }
    res.end(bytes);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return { server, url: `http://${shownHost}:${address.port}` };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
