import { declareRoutes } from "../../shared/http/routes";

/** create-group's routes, one per ESS edition. The handler, the local gateway and the deploy check read this list. */
export const routes = declareRoutes([
  { name: "create-group.ess", method: "POST", path: "/ess/flow-groups", body: "json" },
  { name: "create-group.essbasic", method: "POST", path: "/essbasic/flow-groups", body: "json" },
]);
