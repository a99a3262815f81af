import type { EssGateway } from "../../shared/ess/gateway";

/**
 * An ESS port whose every method fails the test: spread it under the methods a test fakes
 * (`{ ...unusedEss(), describeGroup: … }`), so a new port method needs no edit in every test.
 */
export function unusedEss(): EssGateway {
  const unused = (method: string) => async () => {
    throw new Error(`EssGateway.${method} is not used by this test`);
  };
  return {
    createFlowGroup: unused("createFlowGroup"),
    describeGroup: unused("describeGroup"),
    createSignUrl: unused("createSignUrl"),
    uploadFiles: unused("uploadFiles"),
    describeFileLinks: unused("describeFileLinks"),
    cancelFlows: unused("cancelFlows"),
    remind: unused("remind"),
  };
}
