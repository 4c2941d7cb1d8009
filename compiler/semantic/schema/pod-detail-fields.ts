import { diag } from "../../diagnostics/messages.js";
import { DOWNWARD_SOURCES, type DownwardEnv, type DownwardSource, type KeyValueRead } from "../../model/pod-details.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import { atomText } from "../../syntax/ast.js";
import { eachTerm, rangeOf, single, type FieldContext, type TermReader } from "../readers.js";
import { labelValueProblem, ownedKeyProblem, qualifiedNameProblem } from "../label-syntax.js";
import { readCommand } from "./command.js";
import { isImageRef } from "./common-fields.js";
import { field, type FieldSpec } from "./field-spec.js";
import type { ValueRange } from "./value-ranges.js";

/**
 * Pod details of a service, worker, job or cronjob (model/pod-details.ts): more init containers,
 * downward-API env, ephemeral storage, the user's labels and annotations, a preStop drain.
 */

const SECOND = 1000;
const MI = 1024 ** 2;
const TI = 1024 ** 4;

export const POD_DETAIL_RANGES = {
  ephemeralStorage: { kind: "memory", what: "The ephemeral storage", target: "resources.requests/limits.ephemeral-storage (quantity, whole bytes)", min: MI, max: 16 * TI, step: 1 } as ValueRange,
  // 0s turns the default drain of an exposed service off; past 5 minutes a rollout or node drain stalls.
  drain: { kind: "duration", what: "The drain delay", target: "lifecycle.preStop.sleep.seconds (int64, whole seconds)", min: 0, max: 300 * SECOND, step: SECOND } as ValueRange,
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readEnv(ctx: FieldContext, r: TermReader): DownwardEnv | undefined {
  const env = r.word("an environment variable name");
  if (!env) return undefined;
  if (!ENV_NAME.test(env.name)) {
    ctx.report(diag("FIN3001", env.range, { field: ctx.field, expected: "an environment variable name (letters, digits, _)", found: `'${env.name}'`, hint: "Environment variable names look like POD_NAMESPACE." }));
    return undefined;
  }
  if (!r.accept("from")) return r.mismatch("'from'", r.peek(), "Write `env NAMESPACE from pod.namespace`.");
  const a = r.next();
  const text = a?.kind === "Word" ? atomText(a) : undefined;
  if (!a || text === undefined) return r.mismatch(`a pod field (${DOWNWARD_SOURCES.join(", ")})`, a);
  if (!(DOWNWARD_SOURCES as readonly string[]).includes(text)) {
    ctx.report(diag("FIN3034", rangeOf(ctx, a), {
      message: `'${text}' is not a field the downward API can give a container.`,
      hint: `Valid sources: ${DOWNWARD_SOURCES.join(", ")}. A secret is \`secret ${env.name} from <store> "<path>"\`, a constant \`config ${env.name} = "…"\`.`,
    }));
    return undefined;
  }
  return { env: env.name, source: text as DownwardSource, origin: rangeOf(ctx, r.term) };
}

/** `key = "value"`: the key a word or a string (`"example.com/team"`), the value a string or word. */
function readKeyValue(ctx: FieldContext, r: TermReader, what: "label" | "annotation"): KeyValueRead | undefined {
  const k = r.next();
  const key = k?.kind === "String" ? k.value : k?.kind === "Word" ? atomText(k) : undefined;
  if (!k || key === undefined) return r.mismatch(`a ${what} key (a name, or "prefix/name" in quotes)`, k);
  if (!r.acceptOperator("=")) return r.mismatch("'='", r.peek(), `Write \`${ctx.field} team = "payments"\`.`);
  const v = r.next();
  const value = v?.kind === "String" ? v.value : v?.kind === "Word" ? atomText(v) : v?.kind === "Number" ? v.raw : undefined;
  if (!v || value === undefined) return r.mismatch(`a ${what} value (a string)`, v);
  const keyRange = rangeOf(ctx, k);
  const keyWhy = qualifiedNameProblem(key);
  if (keyWhy) {
    ctx.report(diag("FIN3035", keyRange, {
      message: `'${key}' is not a valid Kubernetes ${what} key: ${keyWhy}.`,
      hint: `A key is [prefix/]name: an optional DNS subdomain prefix (≤ 253) and a name of ≤ 63 letters, digits, '-', '_', '.', e.g. ${ctx.field} "example.com/team" = "payments".`,
    }));
    return undefined;
  }
  const owned = ownedKeyProblem(key);
  if (owned) {
    ctx.report(diag("FIN3035", keyRange, {
      message: `The ${what} '${key}' cannot be set: ${owned}.`,
      hint: `Use a key under your own prefix, e.g. "example.com/${key.split("/").pop()}"; what finc owns is set from the spec's fields (mesh, secrets, tier …).`,
    }));
    return undefined;
  }
  const valueWhy = what === "label" ? labelValueProblem(value) : undefined;
  if (valueWhy) {
    ctx.report(diag("FIN3035", rangeOf(ctx, v), {
      message: `'${value}' is not a valid label value: ${valueWhy}.`,
      hint: "Label values are for selecting (team = payments); free text belongs in an annotation.",
    }));
    return undefined;
  }
  return { key, value, range: rangeOf(ctx, r.term) };
}

const keyValueField = (what: "label" | "annotation", doc: string, example: string): FieldSpec =>
  field({
    doc,
    syntax: '<key> = "<value>", … (a key with a prefix in quotes: "example.com/team")',
    example,
    repeatable: true,
    read: (ctx) => eachTerm(ctx, (r) => readKeyValue(ctx, r, what)),
  });

export const podDetailFields: Readonly<Record<string, FieldSpec>> = {
  init: field({
    doc: "An init container run to completion before the app starts, after `migrate` and in the order written: `init \"registry.example.com/tools/wait:1.0\" run \"wait-for ledger:8080\"`. Same hardening as the app container (restricted security context, read-only root filesystem, the app's resources, config, secrets and writable paths); the command is split like `migrate`'s. Repeatable.",
    syntax: '"<image>" run "<command>" | "<image>" run ["<arg>", …]',
    example: '"registry.example.com/tools/wait:1.0.0" run "wait-for ledger:8080"',
    repeatable: true,
    keywords: { '"': ["run"] },
    read: (ctx) =>
      eachTerm(ctx, (r) => {
        const image = r.string("the init container's image");
        if (!image) return undefined;
        if (!isImageRef(image.value)) ctx.report(diag("FIN3009", image.range, { image: image.value }));
        let command: string[] = [];
        if (r.accept("run")) {
          const c = readCommand(r, "the init container's command");
          if (!c) return undefined;
          command = c;
        }
        return { image: image.value, command };
      }),
  }),
  env: field({
    doc: `An environment variable filled by the Kubernetes downward API: \`env NAMESPACE from pod.namespace, POD_IP from pod.ip\`. Sources: ${DOWNWARD_SOURCES.join(", ")} (cpu in whole cores rounded up, memory and storage in bytes). Repeatable; a name also given by \`secret\` is FIN3034.`,
    syntax: "<ENV> from <pod.name|pod.namespace|pod.ip|node.name|pod.service-account|limits.memory|…>, …",
    example: "NAMESPACE from pod.namespace",
    repeatable: true,
    keywords: { from: [...DOWNWARD_SOURCES] },
    read: (ctx) => eachTerm(ctx, (r) => readEnv(ctx, r)),
  }),
  "ephemeral-storage": field({
    doc: "Ephemeral storage (container logs, writable layers, emptyDir `writable` paths) request and limit: `ephemeral-storage 1Gi to 2Gi`; a single value sets both. A pod using more than its limits is evicted.",
    syntax: "<request> [to <limit>]",
    example: "1Gi to 2Gi",
    keywords: { "*": ["to"] },
    units: UNIT_SUFFIXES.memory,
    numbers: [POD_DETAIL_RANGES.ephemeralStorage],
    read: (ctx) =>
      single(ctx, (r) => {
        const request = r.memory(POD_DETAIL_RANGES.ephemeralStorage);
        if (request === undefined) return undefined;
        const limit = r.accept("to") ? r.memory(POD_DETAIL_RANGES.ephemeralStorage) : request;
        if (limit === undefined) return undefined;
        if (request.bytes > limit.bytes) ctx.report(diag("FIN3005", rangeOf(ctx, r.term), { resource: "ephemeral-storage", request: request.raw, limit: limit.raw }));
        return { request: request.bytes, limit: limit.bytes };
      }),
  }),
  labels: keyValueField(
    "label",
    "Labels of your own (cost allocation, ownership) on the pods and on the workload's Deployment/Job/CronJob, Service and ConfigMap: `labels team = payments, \"example.com/cost-center\" = \"cc-42\"`. Keys and values are checked as Kubernetes labels (FIN3035); keys finc owns (`app.kubernetes.io/*`, `finc.dev/*`), Istio's (`*istio.io/*`), Vault's and Kubernetes' own prefixes are refused.",
    'team = "payments"',
  ),
  annotations: keyValueField(
    "annotation",
    "Annotations of your own on the pods and on the workload's Deployment/Job/CronJob: `annotations \"example.com/runbook\" = \"https://runbooks.example.com/api\"`. Keys are checked as Kubernetes annotation keys, and the same keys as for `labels` are refused (FIN3035): `sidecar.istio.io/inject = \"false\"` would take the pod out of the mesh.",
    '"example.com/runbook" = "https://runbooks.example.com/api"',
  ),
  drain: field({
    doc: "Graceful shutdown behind a load balancer: the container keeps running this long after the pod is told to stop (a native `lifecycle.preStop.sleep`, no shell needed in the image), so gateways and balancers stop sending it requests before it gets SIGTERM. Must be shorter than `grace` (FIN3036). A service with `expose` or a load-balancer `service-type` drains 5s by default (when `grace` is longer); `drain 0s` turns that off.",
    syntax: "<duration>",
    example: "10s",
    numbers: [POD_DETAIL_RANGES.drain],
    read: (ctx) => single(ctx, (r) => r.duration(POD_DETAIL_RANGES.drain)),
  }),
};


