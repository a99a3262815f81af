import { MethodNotAllowed, RouteNotFound } from "../errors/request-errors";

/** A route: a method and a path with `{Param}` segments. */
export interface RouteSpec {
  method: string;
  path: string;
  /** `json`: the route reads a JSON body; the local gateway refuses other content types (415). */
  body?: "json";
}

/** A route as a function declares it: with a short name for logs and for binding its implementation. */
export interface RouteDeclaration extends RouteSpec {
  /** e.g. `create-group.ess`. */
  name: string;
}

/**
 * Declares a function's routes, in `functions/<name>/routes.ts`: the one place they are written.
 * The handler binds an implementation to each name (`bindRoutes`); the local gateway and the deploy
 * check read the same list (serverless.yml does not list routes: a function URL sends every path to
 * its function).
 */
export function declareRoutes<const R extends readonly RouteDeclaration[]>(routes: R): R {
  const seen = new Set<string>();
  for (const route of routes) {
    if (!/^\/[A-Za-z0-9\-_/{}.]*$/.test(route.path))
      throw new Error(`route ${route.name}: path ${route.path} must start with / and use URL-safe characters`);
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
  }
  return routes;
}

/** The names a route table declares. */
export type RouteName<R extends readonly RouteDeclaration[]> = R[number]["name"];

/** Path parameters of `path` under `pattern`, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = splitPath(pattern);
  const have = splitPath(path);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    const param = /^\{([^}]+)\}$/.exec(w);
    if (param) {
      let value: string;
      try {
        value = decodeURIComponent(h);
      } catch {
        return undefined;
      }
      if (value === "") return undefined;
      params[param[1]!] = value;
    } else if (w !== h) {
      return undefined;
    }
  }
  return params;
}

function splitPath(path: string): string[] {
  return path
    .split("?")[0]!
    .split("/")
    .filter((segment) => segment !== "");
}

/**
 * Finds the route for `method` and `path`. Throws 404 when no route has this path and 405 (with
 * `Allow`) when routes have the path but not the method.
 */
export function resolveRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method.toUpperCase() === method.toUpperCase()) return { route, params };
    allowed.push(route.method.toUpperCase());
  }
  if (allowed.length > 0) throw new MethodNotAllowed([...new Set(allowed)]);
  throw new RouteNotFound(method, path);
}
