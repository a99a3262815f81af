import type { IncomingMessage, ServerResponse } from "node:http";
import type { Edition } from "../core/model";
import type { LinkRecord } from "../core/model";
import { signedPdf } from "../documents/signed-pdf";
import { isFinal, personKeys, turnReached, TransitionError } from "../core/transitions";
import type { EmulatorEngine } from "../engine";
import { FaultConfigError, normalizeFaults } from "../faults";
import { cancel, expire, fill, fillMany, reject, sign, type FillInput, type OperationResult, type Selector } from "./operations";
import { renderErrorPage, renderIndexPage, renderSignPage, type SignPageFlow, type SignPageModel } from "./sign-page";
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
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new AdminRequestError(400, "InvalidParameter", "body must be a JSON object");
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

type SelectorKey = (typeof SELECTOR_KEYS)[number];

function selector(fields: Fields, keys: readonly SelectorKey[] = SELECTOR_KEYS): Selector {
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

/** Who a page or form acts for: the approvers (one person, or dynamic slots) and the flows in scope. */
interface Actor {
  recipientIds: string[];
  /** undefined: every flow of the group (admin pages). */
  flowIds?: string[];
  preview: boolean;
  preset?: LinkRecord["preset"];
  expiresAt?: number;
  field: "token" | "recipientId";
  value: string;
}

/** The link behind a token: unknown → 404, expired → 410 (ESS: an expired link stops working). */
function linkActor(engine: EmulatorEngine, token: string): Actor {
  const link = engine.world.links.get(token);
  if (!link) throw new AdminRequestError(404, "ResourceNotFound", "This sign link does not lead to any contract.");
  if (engine.nowSeconds() >= link.expiresAt)
    throw new AdminRequestError(410, "ResourceUnavailable", "This sign link has expired. Ask for a new one.");
  return {
    recipientIds: link.recipientIds,
    flowIds: link.flowIds,
    preview: link.preview,
    preset: link.preset,
    expiresAt: link.expiresAt,
    field: "token",
    value: token,
  };
}

function adminActor(recipientId: string, preview: boolean): Actor {
  return { recipientIds: [recipientId], preview, field: "recipientId", value: recipientId };
}

function pageModel(engine: EmulatorEngine, actor: Actor, baseUrl: string, notice?: string): SignPageModel {
  const world = engine.world;
  const first = actor.recipientIds.map((id) => world.findApprover(id)).find((x) => x !== undefined);
  const group = first ? world.groups.get(first.flow.groupId) : world.groups.get(world.links.get(actor.value)?.groupId ?? "");
  if (!group) throw new AdminRequestError(404, "ResourceNotFound", "This sign link does not lead to any contract.");
  const scope = world.groupFlows(group).filter((f) => actor.flowIds === undefined || actor.flowIds.includes(f.flowId));
  const toFill = new Set(
    actor.recipientIds.filter((id) => {
      const found = world.findApprover(id);
      return found !== undefined && found.approver.state === "FILLPENDING" && !isFinal(found.flow);
    }),
  );
  const keys = first && toFill.size === 0 ? personKeys(first.approver) : [];
  const mineIn = (flowId: string) =>
    scope
      .find((f) => f.flowId === flowId)!
      .approvers.find(
        (a) =>
          actor.recipientIds.includes(a.recipientId) ||
          (keys.length > 0 && a.role !== "autoSign" && personKeys(a).some((k) => keys.includes(k))),
      );
  const open = scope.flatMap((flow) => {
    const mine = mineIn(flow.flowId);
    return mine && !isFinal(flow) && mine.state === "PENDING" ? [{ flow, approver: mine }] : [];
  });
  const blocked = new Set(open.filter(({ flow, approver }) => !turnReached(flow, approver)).map((x) => x.flow.flowId));
  const mode: SignPageModel["mode"] = actor.preview
    ? "preview"
    : toFill.size > 0
      ? "fill"
      : open.length === 0
        ? "done"
        : blocked.size > 0
          ? "not-your-turn"
          : "sign";
  const flows = scope.map((flow) => {
    const mine = mineIn(flow.flowId);
    const isOpen = open.some((x) => x.flow === flow);
    const part: SignPageFlow["part"] =
      mine && toFill.has(mine.recipientId) ? "to-fill" : blocked.has(flow.flowId) ? "not-your-turn" : isOpen ? "to-sign" : "";
    return {
      flowId: flow.flowId,
      flowName: flow.name,
      status: flow.state,
      mine: mine?.state,
      documents: flow.fileIds.map((id) => ({ fileName: world.files.get(id)?.fileName ?? id, pages: world.files.get(id)?.pages })),
      part,
    };
  });
  const who = first?.approver.name
    ? `${first.approver.name}${first.approver.organizationName ? ` (${first.approver.organizationName})` : ""}`
    : "(to be filled in)";
  return {
    group: groupView(world, group, baseUrl),
    flows,
    who,
    mode,
    fillOrganization: first?.approver.role === "organization" && group.edition === "ess",
    actor: { field: actor.field, value: actor.value },
    notice,
    expiresAt: actor.expiresAt,
  };
}

function signPage(res: ServerResponse, url: URL, actor: Actor, deps: AdminDeps): void {
  sendHtml(res, 200, renderSignPage(pageModel(deps.engine, actor, deps.baseUrl(), url.searchParams.get("notice") ?? undefined)));
}

/** The actor of a form or JSON call: a link token (checked for expiry) or a plain selector. */
function tokenActor(fields: Fields, engine: EmulatorEngine): Actor | undefined {
  const token = text(fields, "token");
  if (token === undefined) return undefined;
  const actor = linkActor(engine, token);
  if (actor.preview) throw new AdminRequestError(409, "OperationDenied.Forbid", "A preview link cannot sign.");
  return actor;
}

/** A dynamic approver claims through a link: the identity must match the link's preset. */
function fillThroughLink(engine: EmulatorEngine, actor: Actor, input: FillInput): OperationResult {
  const preset = actor.preset;
  if (preset?.name !== undefined && preset.name !== input.name)
    throw new AdminRequestError(409, "FailedOperation.UserInfoNoMatch", "This link is for someone else (the name does not match).");
  if (preset?.mobile !== undefined && preset.mobile !== input.mobile)
    throw new AdminRequestError(409, "FailedOperation.UserInfoNoMatch", "This link is for someone else (the mobile does not match).");
  if (preset?.organizationName !== undefined && preset.organizationName !== input.organizationName)
    throw new AdminRequestError(409, "FailedOperation.UserInfoNoMatch", "This link is for another organization.");
  return engine.operate((ctx) => fillMany(ctx, actor.recipientIds, input));
}

/** A signed document's download link: the PDF until it expires, then 403 like an expired presigned URL. */
async function download(res: ServerResponse, token: string, deps: AdminDeps): Promise<void> {
  const world = deps.engine.world;
  const entry = world.downloads.get(token);
  if (!entry || deps.engine.nowSeconds() >= entry.expiresAt) {
    res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
    return void res.end(entry ? "Request has expired" : "Access Denied");
  }
  const flow = world.flows.get(entry.flowId)!;
  const group = world.groups.get(flow.groupId)!;
  const composeMs = deps.engine.faults.current().signedFileComposeMs ?? 0;
  const signedAt = Math.max(0, ...flow.approvers.map((a) => a.approveTime ?? 0));
  if (composeMs > 0 && flow.state === "ALL" && deps.engine.nowSeconds() * 1000 < signedAt * 1000 + composeMs) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    return void res.end("The signed document is being composed; try again in a moment");
  }
  const file = world.files.get(flow.fileIds[0]!);
  const bytes = Buffer.from(await signedPdf(flow, group, file?.fileName ?? "contract.pdf", deps.engine.blobs.get(flow.fileIds[0]!)));
  const name = encodeURIComponent(`${flow.name}.pdf`);
  res.writeHead(200, {
    "Content-Type": "application/pdf",
    "Content-Length": bytes.length,
    "Content-Disposition": `attachment; filename*=UTF-8''${name}`,
  });
  res.end(bytes);
}

/** A sign/reject selector from a link token: that person, within the link's flows. */
function linkSelector(fields: Fields, engine: EmulatorEngine): Selector | undefined {
  const actor = tokenActor(fields, engine);
  if (!actor) return undefined;
  return { recipientId: actor.recipientIds[0]!, flowIds: actor.flowIds };
}

type Route = (ctx: { req: IncomingMessage; res: ServerResponse; url: URL; fields: () => Fields; deps: AdminDeps }) => unknown;

const json =
  (fn: (fields: Fields, deps: AdminDeps, url: URL) => unknown | Promise<unknown>): Route =>
  async ({ res, url, fields, deps }) =>
    sendJson(res, 200, await fn(fields(), deps, url));

/** Simulated people and time: the result is the operation's outcome. */
const act =
  (fn: (fields: Fields, engine: EmulatorEngine) => OperationResult): Route =>
  ({ req, res, fields, deps }) => {
    const f = fields();
    const result = fn(f, deps.engine);
    if (isForm(req) && (typeof f.recipientId === "string" || typeof f.token === "string")) {
      // The sign page's forms come back to the page.
      const notice = req.url?.includes("/reject") ? "Rejected." : req.url?.includes("/fill") ? "Filled in: you can sign now." : "Signed.";
      const page =
        typeof f.token === "string"
          ? `/_emulator/link/${encodeURIComponent(f.token)}`
          : `/_emulator/sign/${encodeURIComponent(String(f.recipientId))}`;
      res.writeHead(303, { Location: `${page}?notice=${encodeURIComponent(notice)}` });
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
    if (edition !== "ess" && edition !== "essbasic")
      throw new AdminRequestError(400, "InvalidParameter", "edition must be ess or essbasic");
    const target = text(fields, "url");
    if (target !== undefined && !/^https?:\/\/\S+$/.test(target))
      throw new AdminRequestError(400, "InvalidParameter", "url must be http(s)://…");
    deps.setCallbackUrl(edition, target);
    return { ok: true };
  }),
  "POST /_emulator/sign": act((f, engine) => engine.operate((ctx) => sign(ctx, linkSelector(f, engine) ?? selector(f)))),
  "POST /_emulator/reject": act((f, engine) =>
    engine.operate((ctx) => reject(ctx, linkSelector(f, engine) ?? selector(f), text(f, "message") ?? "")),
  ),
  "POST /_emulator/cancel": act((f, engine) => engine.operate((ctx) => cancel(ctx, selector(f), text(f, "message") ?? ""))),
  "POST /_emulator/expire": act((f, engine) => engine.operate((ctx) => expire(ctx, selector(f)))),
  "POST /_emulator/fill": act((f, engine) => {
    const actor = tokenActor(f, engine);
    if (actor) return fillThroughLink(engine, actor, fillInput(f));
    return engine.operate((ctx) => fill(ctx, selector(f, ["recipientId", "flowGroupId", "flowId"]), fillInput(f)));
  }),
};

function errorOf(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof AdminRequestError || error instanceof TransitionError)
    return { status: error.status, code: error.code, message: error.message };
  if (error instanceof FaultConfigError) return { status: 400, code: "InvalidParameter", message: error.message };
  return { status: 500, code: "InternalError", message: "internal error" };
}

/** Handles a request under `/_emulator/`; the body is already read. */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, raw: Buffer, deps: AdminDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.local");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  try {
    if (method === "GET" && path.startsWith("/_emulator/sign/")) {
      const recipientId = decodeURIComponent(path.slice("/_emulator/sign/".length));
      if (!deps.engine.world.findApprover(recipientId))
        throw new AdminRequestError(404, "ResourceNotFound", "This sign link does not lead to any contract.");
      return signPage(res, url, adminActor(recipientId, url.searchParams.get("preview") === "1"), deps);
    }
    if (method === "GET" && path.startsWith("/_emulator/files/"))
      return await download(res, decodeURIComponent(path.slice("/_emulator/files/".length)), deps);
    if (method === "GET" && path.startsWith("/_emulator/link/"))
      return signPage(res, url, linkActor(deps.engine, decodeURIComponent(path.slice("/_emulator/link/".length))), deps);
    const route = ROUTES[`${method} ${path}`];
    if (!route) throw new AdminRequestError(404, "ResourceNotFound", `no admin route ${method} ${path}`);
    await route({ req, res, url, fields: () => parseFields(req, raw), deps });
  } catch (error) {
    const { status, code, message } = errorOf(error);
    if (status === 500) deps.onUnexpected?.(error);
    if (isForm(req) || (method === "GET" && /^\/_emulator\/(sign|link)\//.test(path)))
      return sendHtml(res, status, renderErrorPage(message));
    sendJson(res, status, { error: { code, message } });
  }
}
