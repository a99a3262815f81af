import { declareRoutes } from "../../shared/http/routes";

/**
 * group-actions' routes: what a caller does with a group after creating it. The handler, the local
 * gateway and the deploy check read this list.
 */
export const routes = declareRoutes([
  { name: "group-actions.sign-urls", method: "POST", path: "/flow-groups/{FlowGroupId}/sign-urls", body: "json" },
  { name: "group-actions.cancel", method: "POST", path: "/flow-groups/{FlowGroupId}/cancel", body: "json" },
  { name: "group-actions.remind", method: "POST", path: "/flow-groups/{FlowGroupId}/remind", body: "json" },
  { name: "group-actions.files", method: "GET", path: "/flow-groups/{FlowGroupId}/files" },
]);
