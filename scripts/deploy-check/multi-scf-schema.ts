import * as z from "zod";

/**
 * The parts of a Tencent Serverless Components `multi-scf` file this project uses, as the
 * component documents its inputs (functions keyed by name; API Gateway triggers with `apis`).
 * Unknown keys are refused, so a typo cannot silently drop a setting at deploy time.
 */
const envValue = z.union([z.string(), z.number(), z.boolean()]);

/** SCF: memory 64 or 128–3072 MB in steps of 128; timeout 1–900 s. */
const memorySize = z.number().int().refine((m) => m === 64 || (m >= 128 && m <= 3072 && m % 128 === 0), "64, or 128 to 3072 in steps of 128");
const timeout = z.number().int().min(1).max(900);

export const SUPPORTED_RUNTIMES = ["Nodejs18.15", "Nodejs16.13"] as const;

const functionSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/, "letters, digits, - and _, starting with a letter, 2 to 60 characters"),
    handler: z.string().regex(/^[a-z0-9-]+\/index\.[A-Za-z_$][\w$]*$/, "<function-folder>/index.<export>"),
    description: z.string().max(1000).optional(),
    /** CAM execution role: SCF then injects its temporary credentials (TENCENTCLOUD_SECRETID…). */
    role: z.string().optional(),
    runtime: z.enum(SUPPORTED_RUNTIMES).optional(),
    memorySize: memorySize.optional(),
    timeout: timeout.optional(),
    environment: z.object({ variables: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), envValue) }).strict().optional(),
  })
  .strict();

const apiSchema = z
  .object({
    path: z.string().regex(/^\/[A-Za-z0-9\-_/{}]*$/),
    method: z.enum(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "ANY"]),
    function: z.string(),
    description: z.string().optional(),
    param: z
      .array(
        z
          .object({
            name: z.string(),
            position: z.enum(["PATH", "QUERY", "HEADER"]),
            required: z.boolean(),
            type: z.enum(["string", "number", "int", "boolean"]),
            desc: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const triggerSchema = z
  .object({
    type: z.literal("apigw"),
    parameters: z
      .object({
        name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/),
        serviceId: z.string().optional(),
        protocols: z.array(z.enum(["http", "https"])).min(1),
        environment: z.enum(["release", "prepub", "test"]),
        apis: z.array(apiSchema).min(1),
      })
      .strict(),
  })
  .strict();

export const multiScfSchema = z
  .object({
    app: z.string(),
    stage: z.string(),
    component: z.literal("multi-scf"),
    name: z.string(),
    inputs: z
      .object({
        src: z.object({ src: z.string(), exclude: z.array(z.string()).optional() }).strict(),
        region: z.string(),
        runtime: z.enum(SUPPORTED_RUNTIMES),
        memorySize,
        timeout,
        functions: z.record(z.string(), functionSchema),
        triggers: z.array(triggerSchema).min(1),
      })
      .strict(),
  })
  .strict();

export type MultiScf = z.output<typeof multiScfSchema>;
