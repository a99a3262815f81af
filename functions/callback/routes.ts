import { declareRoutes } from "../../shared/http/routes";

/**
 * callback's route: one for both editions (the envelope's MsgVersion tells them apart). The path is
 * what goes into the ESS console after the function URL. The handler, the local gateway and the
 * deploy check read this list.
 */
export const routes = declareRoutes([{ name: "callback", method: "POST", path: "/ess/callbacks", body: "json" }]);
