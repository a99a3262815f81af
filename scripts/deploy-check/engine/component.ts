/**
 * What the multi-scf component does with the instance the CLI sends, before it calls the toolkit.
 * The component is not on npm (it runs on Tencent's platform), so these few steps are written here
 * from its source — serverless-components/tencent-multi-scf, version 0.3.14 (serverless.component.yml),
 * commit 02cf563 — each with the line it mirrors; the facts are listed in ../README.md. Everything
 * after this (the SCF API calls) is the real tencent-component-toolkit.
 */

export interface Instance {
  instanceName: string;
  stageName: string;
  appName: string;
  inputs: Record<string, unknown>;
}

export interface FaasInputs extends Record<string, unknown> {
  key: string;
  name: string;
}

export interface TriggerInputs extends Record<string, unknown> {
  type: string;
  function: unknown;
}

/** src/config.ts: the component's defaults. */
export const COMPONENT_DEFAULTS = {
  region: "ap-guangzhou",
  type: "event",
  namespace: "default",
  runtime: "Nodejs12.16",
  description: "Created by Serverless",
};

/**
 * serverless.component.yml, `actions.deploy.inputs`: the platform validates the top-level inputs
 * against these before the component runs (`level: warning` entries only warn).
 */
export const COMPONENT_VALIDATION = {
  region: [
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-guangzhou",
    "ap-hongkong",
    "ap-mumbai",
    "ap-seoul",
    "ap-shanghai",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "na-siliconvalley",
    "na-toronto",
  ],
  runtime: [
    "Python2.7",
    "Python3.6",
    "Python3.7",
    "Nodejs6.10",
    "Nodejs8.9",
    "Nodejs10.15",
    "Nodejs12.16",
    "Nodejs14.18",
    "Nodejs16.13",
    "Php5",
    "Php7",
    "Php7.4",
    "Php8.0",
    "Go1",
    "Java8",
    "Java11",
    "CustomRuntime",
  ],
};

/** The top-level inputs the platform would refuse (errors) or warn about. */
export function validateInputs(inputs: Record<string, unknown>): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (inputs.region !== undefined && !COMPONENT_VALIDATION.region.includes(String(inputs.region)))
    errors.push(`inputs.region ${String(inputs.region)} is not in the component's allow list`);
  if (inputs.runtime !== undefined && !COMPONENT_VALIDATION.runtime.includes(String(inputs.runtime))) {
    errors.push(
      `inputs.runtime ${String(inputs.runtime)} is not in the component's allow list (it ends at Nodejs16.13; the CLI stops unless --noValidation)`,
    );
  }
  const memory = inputs.memorySize;
  if (memory !== undefined && !(memory === 64 || (typeof memory === "number" && memory >= 128 && memory <= 3072 && memory % 128 === 0)))
    warnings.push(`inputs.memorySize ${String(memory)} is not one the component allows`);
  if (inputs.timeout !== undefined && !(typeof inputs.timeout === "number" && inputs.timeout >= 1))
    warnings.push(`inputs.timeout ${String(inputs.timeout)} is below 1`);
  return { errors, warnings };
}

const deepClone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** formatter.ts 189-197: the default function name. */
export const defaultFunctionName = (instance: Instance, key: string) =>
  `${instance.instanceName}-${instance.stageName}-${instance.appName}-${key}`;

/**
 * formatter.ts 279-303 (`formatFaasInputs`): the environment comes only from `environments`
 * (default `[]`, so a function without it gets an empty `environment.variables`, replacing any
 * `environment` it had); tags likewise; `vpc` becomes `vpcConfig`.
 */
export function formatFaasInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const { environments = [], tags = [] } = inputs as { environments?: unknown; tags?: unknown };
  if (Array.isArray(environments)) {
    const variables: Record<string, unknown> = {};
    for (const { key, value } of environments as Array<{ key: string; value: unknown }>) variables[key] = value;
    inputs.environment = { variables };
  }
  if (Array.isArray(tags)) {
    const newTags: Record<string, unknown> = {};
    for (const { key, value } of tags as Array<{ key: string; value: unknown }>) newTags[key] = value;
    inputs.tags = newTags;
  }
  if (inputs.vpc) inputs.vpcConfig = inputs.vpc;
  return inputs;
}

/**
 * formatter.ts 306-394 (`formatInputs`), for a whole-app deploy (no `--function`): common inputs
 * from the top level with the defaults (315-324, `src` removed); each function = common inputs
 * overridden by its own (344-346); its name defaults to `<name>-<stage>-<app>-<key>` (359); its
 * code is the one uploaded zip unless it names a `src` of its own (uploadCodeToCos, 57-131: bucket
 * `sls-cloudfunction-<region>-code`); triggers other than apigw get `function: { name, type,
 * namespace }` of the function they name, which must exist (250-270), and the namespace (210).
 */
export function formatInputs(instance: Instance): {
  region: string;
  faasInputsList: FaasInputs[];
  triggerInputsList: TriggerInputs[];
  problems: string[];
} {
  const inputs = deepClone(instance.inputs);
  const problems: string[] = [];
  const region = String(inputs.region || COMPONENT_DEFAULTS.region);
  const commonInputs: Record<string, unknown> = deepClone({
    ...inputs,
    type: inputs.type || COMPONENT_DEFAULTS.type,
    namespace: inputs.namespace || COMPONENT_DEFAULTS.namespace,
    runtime: inputs.runtime || COMPONENT_DEFAULTS.runtime,
    description: inputs.description || COMPONENT_DEFAULTS.description,
  });
  delete commonInputs.src;
  const functions = (inputs.functions ?? {}) as Record<string, Record<string, unknown>> | Array<Record<string, unknown>>;
  const list = Array.isArray(functions) ? functions : Object.entries(functions).map(([key, fn]) => ({ ...fn, key }));
  const faasInputsList: FaasInputs[] = [];
  const faasKeyMap: Record<string, { name: string; type: unknown; namespace: unknown }> = {};
  const objectName = `${instance.instanceName}-${instance.stageName}-${instance.appName}-deploycheck-0.zip`;
  for (const fn of list) {
    const key = String(fn.key);
    const faas = formatFaasInputs({ ...commonInputs, ...fn }) as FaasInputs;
    faas.key = key;
    faas.name = (faas.name as string | undefined) || defaultFunctionName(instance, key);
    if (faas.src)
      problems.push(`function ${key}: a function-level src deploys a sub-folder of the zip; this check models the whole zip only`);
    faas.code = { bucket: `sls-cloudfunction-${region}-code`, object: objectName };
    faasInputsList.push(faas);
    faasKeyMap[key] = { name: faas.name, type: faas.type, namespace: faas.namespace };
  }
  const triggerInputsList: TriggerInputs[] = [];
  for (const trigger of (inputs.triggers ?? []) as TriggerInputs[]) {
    trigger.namespace = inputs.namespace || COMPONENT_DEFAULTS.namespace;
    if (trigger.type === "apigw") {
      problems.push(
        "an apigw trigger: Tencent no longer creates API Gateway triggers (SCF announcement 583/107631), " +
          "and multi-scf never turns on its integrated response (formatter.ts 229-235)",
      );
      continue;
    }
    const fn = faasKeyMap[String(trigger.function)];
    if (!fn) {
      problems.push(`trigger ${trigger.type}: Function ${String(trigger.function)} not in deploy list (formatter.ts 262-264)`);
      continue;
    }
    trigger.function = { ...fn };
    triggerInputsList.push(trigger);
  }
  return { region, faasInputsList, triggerInputsList, problems };
}
