import { declareRoutes } from "../../shared/http/routes";

/** group-status's routes. The handler, the local gateway and the deploy check read this list. */
export const routes = declareRoutes([
  { name: "group-status.list", method: "GET", path: "/flow-groups" },
  { name: "group-status.get", method: "GET", path: "/flow-groups/{FlowGroupId}" },
  { name: "group-status.events", method: "GET", path: "/flow-groups/{FlowGroupId}/events" },
]);
