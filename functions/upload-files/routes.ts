import { declareRoutes } from "../../shared/http/routes";

/** upload-files' routes, one per ESS edition. The handler, the local gateway and the deploy check read this list. */
export const routes = declareRoutes([
  { name: "upload-files.ess", method: "POST", path: "/ess/files" },
  { name: "upload-files.essbasic", method: "POST", path: "/essbasic/files" },
]);
