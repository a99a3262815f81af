import type { IncomingMessage, ServerResponse } from "node:http";
import type { Edition } from "../core/model";
import { approvalsOf, personKeys, TransitionError } from "../core/transitions";
import type { EmulatorEngine } from "../engine";
import { FaultConfigError, normalizeFaults } from "../faults";
import { cancel, expire, fill, reject, sign, type FillInput, type OperationResult, type Selector } from "./operations";
import { renderErrorPage, renderIndexPage, renderSignPage } from "./sign-page";
import { groupView } from "./views";

/**
 * The admin API under `/_emulator/` (see README.md): JSON in and out, plus the HTML sign page and
 * the forms it posts. It drives the same operations as the in-process helpers.
 */

export interface AdminDeps {
  engine: EmulatorEngine;
  baseUrl(): string;
  setCallbackUrl(edition: Edition, url: string | undefined): void;
  onUnexpected?(error: unknown): void;
}

type Fields = Record<string, unknown>;

class AdminRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(html);
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

function parseFields(req: IncomingMessage, raw: Buffer): Fields {
  if (raw.length === 0) return {};
  if (isForm(req)) return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AdminRequestError(400, "InvalidParameter", "body must be JSON or a form");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AdminRequestError(400, "InvalidParameter", "body must be a JSON object");
  return body as Fields;
}

function text(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new AdminRequestError(400, "InvalidParameter", `${key} must be a string`);
  return value;
}

const SELECTOR_KEYS = ["recipientId", "flowGroupId", "flowId", "mobile", "userId", "openId", "organizationOpenId"] as const;
const FILL_KEYS = ["name", "mobile", "organizationName", "userId", "openId", "organizationOpenId", "approverRoleName"] as const;

function selector(fields: Fields, keys: readonly (keyof Selector)[] = SELECTOR_KEYS): Selector {
  const s: Selector = {};
  for (const key of keys) {
    const value = text(fields, key);
    if (value !== undefined) s[key] = value;
  }
  return s;
}

function fillInput(fields: Fields): FillInput {
  const input: FillInput = {};
  for (const key of FILL_KEYS) {
    const value = text(fields, key);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

function signPage(res: ServerResponse, url: URL, recipientId: string, deps: AdminDeps): void {
  const found = deps.engine.world.findApprover(recipientId);
  const group = found ? deps.engine.world.groups.get(found.flow.groupId) : undefined;
  if (!found || !group) return sendHtml(res, 404, renderErrorPage("This sign link does not lead to any contract."));
  const keys = personKeys(found.approver);
  const open = keys.length > 0 ? approvalsOf(deps.engine.world, group, keys) : found.approver.state === "PENDING" ? [found] : [];
  sendHtml(
    res,
    200,
    renderSignPage({
      group: groupView(deps.engine.world, group, deps.baseUrl()),
      recipientId,
      openFlowIds: new Set(open.map((x) => x.flow.flowId)),
      preview: url.searchParams.get("preview") === "1",
      ...(url.searchParams.get("notice") ? { notice: url.searchParams.get("notice")! } : {}),
    }),
  );
}

type Route = (ctx: { req: IncomingMessage; res: ServerResponse; url: URL; fields: () => Fields; deps: AdminDeps }) => unknown;

const json =
  (fn: (fields: Fields, deps: AdminDeps, url: URL) => unknown | Promise<unknown>): Route =>
  async ({ res, url, fields, deps }) =>
    sendJson(res, 200, await fn(fields(), deps, url));

/** Simulated people and time: the result is the operation's outcome. */
const act = (fn: (fields: Fields, engine: EmulatorEngine) => OperationResult): Route =>
  ({ req, res, fields, deps }) => {
    const f = fields();
    const result = fn(f, deps.engine);
    if (isForm(req) && typeof f.recipientId === "string") {
      // The sign page's forms come back to the page.
      const notice = req.url?.includes("/reject") ? "Rejected." : "Signed.";
      res.writeHead(303, { Location: `/_emulator/sign/${encodeURIComponent(f.recipientId)}?notice=${encodeURIComponent(notice)}` });
      return void res.end();
    }
    sendJson(res, 200, { ok: true, ...result });
  };

const ROUTES: Record<string, Route> = {
  "GET /_emulator": ({ res, deps }) => sendHtml(res, 200, renderIndexPage(deps.engine.state().groups)),
  "GET /_emulator/state": json((_f, deps, url) => deps.engine.state(url.searchParams.get("flowGroupId") ?? undefined)),
  "GET /_emulator/stats": json((_f, deps) => deps.engine.stats()),
  "GET /_emulator/faults": json((_f, deps) => deps.engine.faults.current()),
  "GET /_emulator/callbacks/idle": json(async (_f, deps, url) => {
    const timeoutMs = Math.min(Number(url.searchParams.get("timeoutMs") ?? "10000") || 10_000, 120_000);
    await deps.engine.dispatcher.waitForIdle(timeoutMs).catch((e: Error) => {
      throw new AdminRequestError(504, "Timeout", e.message);
    });
    return { ok: true, callbacks: deps.engine.stats().callbacks };
  }),
  "GET /_emulator/deliveries": json(async (_f, deps, url) => {
    const after = Math.max(0, Number(url.searchParams.get("after") ?? "0") || 0);
    const limit = Math.min(Math.max(1, Number(url.searchParams.get("limit") ?? "500") || 500), 5000);
    const waitMs = Math.min(Math.max(0, Number(url.searchParams.get("waitMs") ?? "0") || 0), 60_000);
    const deliveries = await deps.engine.deliveries.wait(after, waitMs, limit);
    return { deliveries, next: deliveries.at(-1)?.seq ?? Math.max(after, 0), last: deps.engine.deliveries.lastSeq() };
  }),
  "POST /_emulator/reset": json((_f, deps) => {
    deps.engine.reset();
    return { ok: true };
  }),
  "POST /_emulator/faults": json((fields, deps) => {
    deps.engine.setFaults(normalizeFaults(fields));
    return { ok: true, faults: deps.engine.faults.current() };
  }),
  "POST /_emulator/callback-url": json((fields, deps) => {
    const edition = text(fields, "edition");
    if (edition !== "ess" && edition !== "essbasic") throw new AdminRequestError(400, "InvalidParameter", "edition must be ess or essbasic");
    const target = text(fields, "url");
    if (target !== undefined && !/^https?:\/\/\S+$/.test(target)) throw new AdminRequestError(400, "InvalidParameter", "url must be http(s)://…");
    deps.setCallbackUrl(edition, target);
    return { ok: true };
  }),
  "POST /_emulator/sign": act((f, engine) => engine.operate((ctx) => sign(ctx, selector(f)))),
  "POST /_emulator/reject": act((f, engine) => engine.operate((ctx) => reject(ctx, selector(f), text(f, "message") ?? ""))),
  "POST /_emulator/cancel": act((f, engine) => engine.operate((ctx) => cancel(ctx, selector(f), text(f, "message") ?? ""))),
  "POST /_emulator/expire": act((f, engine) => engine.operate((ctx) => expire(ctx, selector(f)))),
  "POST /_emulator/fill": act((f, engine) => engine.operate((ctx) => fill(ctx, selector(f, ["recipientId", "flowGroupId", "flowId"]), fillInput(f)))),
};

function errorOf(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof AdminRequestError || error instanceof TransitionError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof FaultConfigError) return { status: 400, code: "InvalidParameter", message: error.message };
  return { status: 500, code: "InternalError", message: "internal error" };
}

/** Handles a request under `/_emulator/`; the body is already read. */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, raw: Buffer, deps: AdminDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.local");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  try {
    if (method === "GET" && path.startsWith("/_emulator/sign/"))
      return signPage(res, url, decodeURIComponent(path.slice("/_emulator/sign/".length)), deps);
    const route = ROUTES[`${method} ${path}`];
    if (!route) throw new AdminRequestError(404, "ResourceNotFound", `no admin route ${method} ${path}`);
    await route({ req, res, url, fields: () => parseFields(req, raw), deps });
  } catch (error) {
    const { status, code, message } = errorOf(error);
    if (status === 500) deps.onUnexpected?.(error);
    if (isForm(req)) return sendHtml(res, status, renderErrorPage(message));
    sendJson(res, status, { error: { code, message } });
  }
}
