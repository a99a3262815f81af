import type { Directory } from "../core/fixture";
import type { BlobStore } from "../documents/blob-store";
import type { IdSource } from "../core/ids";
import type { Edition } from "../core/model";
import type { WorldEvent } from "../core/transitions";
import type { World } from "../core/world";
import type { Json } from "../protocol/read";

/** What an action handler gets: the state, the clock, id makers, and where to put state changes. */
export interface ActionContext {
  edition: Edition;
  world: World;
  directory: Directory;
  ids: IdSource;
  /** Server clock, epoch milliseconds. */
  nowMs: number;
  /** State changes to publish as callbacks once the action succeeded. */
  events: WorldEvent[];
  /** Base URL of the emulator as callers reach it, for sign links. */
  baseUrl: string;
  /** Bytes of uploaded files. */
  blobs: BlobStore;
}

/**
 * An action: the request body in, the response fields (without RequestId) out; throws `ApiError`.
 * An asynchronous action does its slow reading (parsing uploads) before it changes any state.
 */
export type ActionHandler = (body: Json, ctx: ActionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** The context's clock in unix seconds. */
export const nowSeconds = (ctx: ActionContext): number => Math.floor(ctx.nowMs / 1000);
