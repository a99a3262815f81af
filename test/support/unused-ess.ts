import type { EssPort } from "../../shared/ess/port";

/**
 * An ESS port whose every method fails the test: spread it under the methods a test fakes
 * (`{ ...unusedEss(), describeGroup: … }`), so a new port method needs no edit in every test.
 */
export function unusedEss(): EssPort {
  const unused = (method: string) => async () => {
    throw new Error(`EssPort.${method} is not used by this test`);
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
