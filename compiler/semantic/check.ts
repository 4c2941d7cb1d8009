import type { CodeFix, Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { lowerDatabase, lowerNamespace, lowerPlatform, lowerSecretStore } from "../model/lower.js";
import { lowerWorkload } from "../model/lower-workloads.js";
import { WORKLOAD_KINDS } from "../model/workload-kind.js";
import { checkBatchPolicy, checkCallTargets } from "./check-workloads.js";
import type { PlatformModel } from "../model/platform-model.js";
import { DATABASE_OUTPUTS } from "../model/platform-model.js";
import { checkModel } from "./check-model.js";
import { configValueProblem, describeConfigType, mergeConfig, type ConfigRead, type ConfigType, type ConfigValue } from "./config-types.js";
import { checkTrafficRefs } from "./check-traffic.js";
import { checkScalingRefs } from "./check-scaling.js";
import { checkSlo } from "./check-observability.js";
import { lowerIssuer } from "../model/lower-traffic.js";
import { lowerNodePool } from "../model/nodepool-model.js";
import { withImmutableDeploy } from "../model/supply-chain.js";
import { withSleep } from "../model/sleep.js";
import { lowerCluster, perClusterModels } from "../model/cluster-topology.js";
import type { DeclInfo, DeclarationTable } from "./declarations.js";
import { closest, closestFix, didYouMean } from "./did-you-mean.js";
import { collectOverrides, effectiveFields, findTarget, patternChain, patternRules, type PatternRules } from "./effective-fields.js";
import { readFields, type FieldValues } from "./read-fields.js";
import type { Ref } from "./readers.js";
import { isDnsLabel, isMutableTag } from "./schema/common-fields.js";
import { checkDnsName } from "./dns-name.js";
import { checkPatternBases } from "./pattern-bases.js";
import { expandConfigSets } from "./config-sets.js";
import { checkConfigInterpolation } from "./check-config-interpolation.js";
import { resolveConfigInterpolation } from "../model/config-interpolation.js";
import { KIND_SPECS } from "./schema/index.js";
import { checkOverrides } from "./check-overrides.js";
import type { SecretRead } from "./schema/service.js";
import type { FieldSource } from "./effective-fields.js";
import { identityMap, type PositionMap } from "./incremental/position-map.js";
import { trackedTable } from "./incremental/tracked-table.js";
import { unitStore, type KeyPart, type Unit, type UnitCache, type UnitEvent } from "./incremental/workload-units.js";

/**
 * A resolved name use: what the language server's definition, references and rename walk.
 * An `environment <name>` block refers to its entry in the platform's `environments` list:
 * a target of kind "environment" (see `CheckResult.environmentTargets`).
 */
export interface Reference {
  readonly range: SourceRange;
  readonly target: DeclInfo;
}

export interface CheckResult {
  /** The outputs to build: the environments, each multi-cluster one as `<env>-<cluster>` per cluster (`models`' keys). */
  readonly environments: readonly string[];
  readonly models: ReadonlyMap<string, PlatformModel>;
  readonly references: readonly Reference[];
  /** Effective typed fields per declaration and environment (hover, inlay hints). */
  readonly values: ReadonlyMap<DeclInfo, ReadonlyMap<string, FieldValues>>;
  readonly patterns: ReadonlyMap<DeclInfo, readonly DeclInfo[]>;
  /**
   * One target per environment the platform lists: kind "environment", its nameRange the
   * entry in the platform's `environments` list (its node is the platform's).
   */
  readonly environmentTargets: ReadonlyMap<string, DeclInfo>;
  /** The per-workload results this check computed or reused, for the next check (see `CheckOptions`). */
  readonly units?: UnitCache;
}

/**
 * Lets a check reuse the previous one's per-workload results (the language server checks on
 * every keystroke). Without it every declaration is checked afresh; with it the results are the same.
 */
export interface CheckOptions {
  /** Every loaded file's text (cached results are keyed by declaration text). */
  readonly texts: ReadonlyMap<string, string>;
  readonly previous?: UnitCache;
  /** From the previous check's offsets (in `previous.texts`) to this one's. */
  readonly map?: PositionMap;
}

/** Resolves, types and checks every declaration in every environment. Never throws on user input. */
export function check(input: DeclarationTable, reportOut: (d: Diagnostic) => void, options?: CheckOptions): CheckResult {
  // While a workload unit is computed, what it reports and refers to is recorded (workload-units.ts).
  let recording: UnitEvent[] | undefined;
  const report = (d: Diagnostic): void => {
    recording?.push({ diagnostic: d });
    reportOut(d);
  };
  const references = new Map<string, Reference>();
  const refer = (range: SourceRange, target: DeclInfo): void => {
    recording?.push({ range, target });
    references.set(`${range.file}:${range.start}`, { range, target });
  };
  const replay = (events: readonly UnitEvent[]): void => {
    for (const e of events) {
      if ("diagnostic" in e) report(e.diagnostic);
      else refer(e.range, e.target);
    }
  };
  const texts = options?.texts;
  const textOf = (file: string, start: number, end: number): string => texts?.get(file)?.slice(start, end) ?? "";
  // A declaration's text by where it is: a range the position map carries over lies in unchanged
  // text (the map refuses ranges in or across an edit), so comparing ranges compares texts. The
  // doc comment lies in the text an edit of it re-parses, with the declaration.
  const declKey = (d: DeclInfo): KeyPart[] => [d.kind, { file: d.file, start: d.node.start, end: d.node.end }];
  const declText = (d: DeclInfo): string[] => [d.kind, d.file, d.node.doc ?? "", textOf(d.file, d.node.start, d.node.end)];
  const tracker = trackedTable(input, declKey);
  const table = tracker.table;
  const typed = table.all.filter((d) => d.kind in KIND_SPECS && !d.stdlib);
  const platforms = typed.filter((d) => d.kind === "platform");
  const platformDecl = platforms[0];
  // What any unit may read besides its own key and lookups: the table's names (didYouMean, the
  // namespace count) and the platform. A change there recomputes every unit.
  const units = texts
    ? unitStore({
        // Offsets of a previous check are only usable through a map to this one's.
        previous: options.map ? options.previous : undefined,
        map: options.map ?? identityMap,
        texts,
        context: [input.all.map((d) => `${d.kind} ${d.name} ${d.file} ${d.stdlib} ${d.node.target?.text ?? ""}`).join("\n"), ...(platformDecl ? declText(platformDecl) : [])],
        table: input,
        lookupKey: declKey,
      })
    : undefined;
  if (!platformDecl) {
    const first = table.all.find((d) => !d.stdlib);
    if (first) report(diag("FIN2010", { file: first.file, start: 0, end: 0 }, {}));
  }
  checkPatternBases(table, refer, report);
  const chains = new Map<DeclInfo, DeclInfo[]>();
  const rules = new Map<DeclInfo, PatternRules>();
  for (const d of typed) {
    const chain = patternChain(d, table, report);
    chains.set(d, chain);
    for (const p of chain) if (p === chain[chain.length - 1]) refer({ file: d.file, start: d.node.base!.start, end: d.node.base!.end }, p);
    rules.set(d, patternRules(chain, report));
    if (d.name) checkDnsName(d.name, d.nameRange, 50, report);
  }
  for (const p of table.all) if (p.kind === "pattern" && !p.stdlib && p.name) checkDnsName(p.name, p.nameRange, 50, report);

  // The platform's own environments list decides which environments exist.
  const baseFields = platformDecl ? readFields("platform", effectiveFields(platformDecl, chains.get(platformDecl) ?? [], [], report), report) : undefined;
  const envRefs = baseFields?.get<Ref[]>("environments") ?? [];
  const environments = envRefs.length ? [...new Set(envRefs.map((r) => r.name))] : ["default"];
  const overrides = collectOverrides(table, environments, report);
  const objectOverrides = checkOverrides(table, environments, report);
  const environmentTargets = new Map<string, DeclInfo>();
  if (platformDecl) {
    for (const r of envRefs) {
      if (!environmentTargets.has(r.name)) environmentTargets.set(r.name, { kind: "environment", name: r.name, file: r.range.file, node: platformDecl.node, nameRange: r.range, stdlib: platformDecl.stdlib });
    }
  }
  for (const env of table.all.filter((d) => d.kind === "environment")) {
    const target = environmentTargets.get(env.name);
    if (target) refer(env.nameRange, target);
    for (const m of env.node.body.members) {
      const t = findTarget(table, m.path[0]!.text);
      if (t) refer({ file: env.file, start: m.path[0]!.start, end: m.path[0]!.end }, t);
    }
  }

  const namespaces = typed.filter((d) => d.kind === "namespace");
  const models = new Map<string, PlatformModel>();
  const shared = new Map<DeclInfo, FieldValues>();
  // Model entities are immutable: the same values lower to the same entity in every environment.
  const lowered = new WeakMap<FieldValues, unknown>();
  const once = <T>(v: FieldValues, lower: (v: FieldValues) => T): T => {
    if (!lowered.has(v)) lowered.set(v, lower(v));
    return lowered.get(v) as T;
  };
  const values = new Map<DeclInfo, Map<string, FieldValues>>();
  const sharedUnits = new Map<DeclInfo, Unit>();
  const readValues = (d: DeclInfo, own: readonly FieldSource[]): FieldValues =>
    readFields(d.kind, expandConfigSets(effectiveFields(d, chains.get(d) ?? [], own, report), table, refer, report), report);
  /** A unit's key: the texts it is a function of (its lookups are recorded separately). */
  const unitKey = (d: DeclInfo, own: readonly FieldSource[]): KeyPart[] => [
    ...declKey(d),
    ...(chains.get(d) ?? []).flatMap(declKey),
    ...own.flatMap((s): KeyPart[] => [s.layer, s.from ?? "", { file: s.file, start: s.member.start, end: s.member.end }]),
  ];
  const outputs: string[] = [];
  for (const env of environments) {
    const remember = (d: DeclInfo, v: FieldValues): void => {
      let perEnv = values.get(d);
      if (!perEnv) values.set(d, (perEnv = new Map()));
      perEnv.set(env, v);
      checkRequired(d, v, rules.get(d)!, env, report);
    };
    const valuesOf = (d: DeclInfo): FieldValues => {
      // A declaration no environment overrides has the same values everywhere: read it once.
      const own = overrides.get(env)?.get(d) ?? [];
      let v = own.length ? undefined : shared.get(d);
      if (!v) {
        v = readValues(d, own);
        if (!own.length) shared.set(d, v);
      }
      remember(d, v);
      return v;
    };
    const namespaceOf = (d: DeclInfo, v: FieldValues): string => {
      const ref = v.get<Ref>("namespace");
      if (ref) {
        const ns = table.lookup("namespace", ref.name);
        if (ns) refer(ref.range, ns);
        else report(diag("FIN2004", ref.range, { expected: "namespace", name: ref.name, didYouMean: didYouMean(ref.name, table.names("namespace")) || `Declare it: \`namespace ${ref.name} { security restricted }\`.` }, closestFix(ref.range, ref.name, table.names("namespace"))));
        return ref.name;
      }
      if (namespaces.length === 1) return namespaces[0]!.name;
      report(diag("FIN4006", d.nameRange, { name: d.name, count: namespaces.length }));
      return d.name;
    };
    const storeRef = (ref: Ref): void => {
      const s = table.lookup("secretstore", ref.name);
      if (s) refer(ref.range, s);
      else report(diag("FIN2004", ref.range, { expected: "secret store", name: ref.name, didYouMean: didYouMean(ref.name, table.names("secretstore")) || "Declare it: `secretstore <name> { provider vault … }`." }, closestFix(ref.range, ref.name, table.names("secretstore"))));
    };
    /**
     * A workload's reading and checks, as one unit reused from the previous check when its key
     * and lookups are unchanged. Everything in here may read only the declaration, its patterns,
     * its overrides, the platform and (through `table`, which records) other declarations.
     */
    const lowerChecked = (d: DeclInfo, v: FieldValues): unknown => {
      checkServiceRefs(d, v, table, refer, storeRef, report);
      checkCallTargets(v, table, report);
      checkBatchPolicy(d, v, report);
      checkScalingRefs(v, storeRef);
      checkConfig(d, v, report);
      checkConfigInterpolation(d, v, table, refer, report);
      checkSlo(d, v, report);
      return lowerWorkload(d, v, namespaceOf(d, v));
    };
    const workloadEntity = (d: DeclInfo): ReturnType<typeof lowerWorkload> => {
      const own = overrides.get(env)?.get(d) ?? [];
      const known = own.length ? undefined : sharedUnits.get(d);
      if (known) {
        remember(d, known.values);
        return known.entity as ReturnType<typeof lowerWorkload>;
      }
      const id = `${d.file}\0${d.kind}\0${d.name}\0${own.length ? env : ""}`;
      const key = units ? unitKey(d, own) : [];
      let unit = units?.reuse(id, key);
      if (unit) {
        replay(unit.read);
        remember(d, unit.values);
        replay(unit.checked);
      } else {
        const outer = recording;
        const read: UnitEvent[] = (recording = []);
        const first = tracker.track(() => readValues(d, own));
        recording = outer;
        remember(d, first.result);
        const checked: UnitEvent[] = (recording = []);
        const second = tracker.track(() => lowerChecked(d, first.result));
        recording = outer;
        if (outer) outer.push(...read, ...checked);
        unit = { values: first.result, entity: second.result, read, checked };
        if (units && !first.reads.volatile && !second.reads.volatile) units.store(id, key, [...first.reads.lookups, ...second.reads.lookups], unit);
      }
      if (!own.length) {
        sharedUnits.set(d, unit);
        shared.set(d, unit.values);
      }
      return unit.entity as ReturnType<typeof lowerWorkload>;
    };
    const platformValues = platformDecl ? valuesOf(platformDecl) : undefined;
    const registry = platformValues?.get<{ store: Ref }>("registry");
    if (registry) storeRef(registry.store);
    for (const receiver of platformValues?.get<{ store: Ref }[]>("alerting") ?? []) storeRef(receiver.store);
    const model: PlatformModel = {
      environment: env,
      platform: platformDecl && platformValues ? lowerPlatform(platformDecl, platformValues) : { name: "platform", origin: { file: "", start: 0, end: 0 }, fields: {}, cloud: "aws", regions: [], kubernetes: "1.31", compliance: [], environments, mesh: "none", ingress: "nginx" },
      namespaces: namespaces.map((d) => lowerNamespace(d, valuesOf(d))),
      secretStores: typed.filter((d) => d.kind === "secretstore").map((d) => lowerSecretStore(d, valuesOf(d))),
      services: typed.filter((d) => (WORKLOAD_KINDS as readonly string[]).includes(d.kind)).map((d) => workloadEntity(d)),
      databases: typed.filter((d) => d.kind === "database").map((d) =>
        once(valuesOf(d), (v) => {
          const creds = v.get<{ store: Ref }>("credentials");
          if (creds) storeRef(creds.store);
          return lowerDatabase(d, v, namespaceOf(d, v));
        }),
      ),
      issuers: typed.filter((d) => d.kind === "issuer").map((d) => lowerIssuer(d, valuesOf(d))),
      nodePools: typed.filter((d) => d.kind === "nodepool").map((d) =>
        once(valuesOf(d), (v) => {
          // A pool's `namespaces` are references, like a workload's `namespace`.
          for (const ref of v.get<Ref[]>("namespaces") ?? []) {
            const ns = table.lookup("namespace", ref.name);
            if (ns) refer(ref.range, ns);
            else report(diag("FIN2004", ref.range, { expected: "namespace", name: ref.name, didYouMean: didYouMean(ref.name, table.names("namespace")) || `Declare it: \`namespace ${ref.name} { security restricted }\`.` }, closestFix(ref.range, ref.name, table.names("namespace"))));
          }
          return lowerNodePool(d, v);
        }),
      ),
      ...(typed.some((d) => d.kind === "cluster") ? { clusters: typed.filter((d) => d.kind === "cluster").map((d) => once(valuesOf(d), (v) => {
        // A cluster's `environments` name the platform's environments (definition, references, rename).
        for (const e of v.get<Ref[]>("environments") ?? []) {
          const t = environmentTargets.get(e.name);
          if (t) refer(e.range, t);
        }
        return lowerCluster(d, v);
      })) } : {}),
    };
    const resolved = resolveConfigInterpolation(withSleep(withImmutableDeploy(model)));
    checkModel(resolved, table, report);
    const patches = objectOverrides.get(env) ?? [];
    // An environment on two or more `cluster`s is built once per cluster, `<env>-<cluster>` (model/cluster-topology.ts).
    for (const [output, m] of perClusterModels(patches.length ? { ...resolved, overrides: patches } : resolved)) {
      models.set(output, m);
      outputs.push(output);
    }
  }
  return { environments: outputs, models, references: [...references.values()], values, patterns: chains, environmentTargets, ...(units ? { units: units.result() } : {}) };
}

function checkRequired(d: DeclInfo, v: FieldValues, rules: PatternRules, env: string, report: (d: Diagnostic) => void): void {
  const spec = KIND_SPECS[d.kind]!;
  const required = new Map<string, { range?: SourceRange; pattern?: string }>(spec.required.map((f) => [f, {}]));
  for (const r of rules.required) required.set(r.field, { range: r.range, pattern: r.pattern.name });
  for (const [field, why] of required) {
    if (v.has(field)) continue;
    const example = spec.fields[field]?.example ?? "…";
    const insertAt = d.node.body.start + 1;
    report(diag("FIN3003", d.nameRange, { kind: d.kind, name: d.name, field, example }, {
      ...(why.range ? { related: [{ message: `required by pattern '${why.pattern}'`, range: why.range }] } : {}),
      fixes: [{ title: `Add '${field}'`, edits: [{ range: { file: d.file, start: insertAt, end: insertAt }, newText: `\n  ${field} ${example}` }] }],
    }));
  }
  for (const m of rules.minimums) {
    if (m.environments && !m.environments.includes(env)) continue;
    const value = m.field === "replicas" ? v.get<{ min: number }>("replicas")?.min : v.get<number>(m.field);
    if (value !== undefined && value < m.value) {
      report(diag("FIN3011", v.origins[m.field] ?? d.nameRange, { message: `${m.field} must be at least ${m.value}${m.environments ? ` in ${env}` : ""}, found ${value}.`, pattern: m.pattern.name }, { related: [{ message: "constraint declared here", range: m.range }] }));
    }
  }
}

/** Typed config keys: each has a value in this environment, and the value fits the declared type. */
function checkConfig(d: DeclInfo, v: FieldValues, report: (d: Diagnostic) => void): void {
  for (const c of mergeConfig(v.all<ConfigRead[]>("config").flat())) {
    if (!c.type) continue;
    const related = c.typeRange ? { related: [{ message: `'${c.key}' is declared ${describeConfigType(c.type)} here`, range: c.typeRange }] } : {};
    if (!c.value) {
      const example = `${c.key} = ${c.type.kind === "enum" ? c.type.values[0] : c.type.kind === "int" ? "0" : c.type.kind === "bool" ? "false" : c.type.kind === "duration" ? "30s" : '"…"'}`;
      const insertAt = d.node.body.start + 1;
      report(diag("FIN3003", d.nameRange, { kind: d.kind, name: d.name, field: `config ${c.key}`, example: example.slice(c.key.length + 1) }, {
        ...related,
        fixes: [{ title: `Set '${c.key}'`, edits: [{ range: { file: d.file, start: insertAt, end: insertAt }, newText: `\n  config ${example}` }] }],
      }));
      continue;
    }
    const hint = configValueProblem(c.type, c.value);
    if (hint) report(diag("FIN3015", c.value.range, { key: c.key, name: d.name, expected: describeConfigType(c.type), value: c.value.text, hint }, { ...related, ...configValueFixes(c.type, c.value) }));
  }
}

/** FIN3015 on an enum or bool key: replace the value with the closest allowed one (or offer each when none is close). */
function configValueFixes(t: ConfigType, v: ConfigValue): { fixes?: CodeFix[] } {
  const allowed = t.kind === "enum" ? t.values : t.kind === "bool" ? ["true", "false"] : [];
  if (!allowed.length) return {};
  const best = closest(v.text, allowed);
  const spell = (s: string): string => (/^(?:[A-Za-z_][\w.-]*|-?[0-9]+(?:\.[0-9]+)?)$/.test(s) && !/[.-]$/.test(s) ? s : JSON.stringify(s));
  const fix = (s: string): CodeFix => ({ title: `Change to ${spell(s)}`, edits: [{ range: v.range, newText: spell(s) }] });
  return { fixes: best ? [fix(best)] : allowed.slice(0, 8).map(fix) };
}

function checkServiceRefs(
  d: DeclInfo,
  v: FieldValues,
  table: DeclarationTable,
  refer: (r: SourceRange, t: DeclInfo) => void,
  storeRef: (r: Ref) => void,
  report: (d: Diagnostic) => void,
): void {
  for (const call of v.all<Ref[]>("calls").flat()) {
    const t = table.lookup("workload", call.name);
    if (!t) report(diag("FIN2004", call.range, { expected: "service or database", name: call.name, didYouMean: didYouMean(call.name, table.names("workload")) }, closestFix(call.range, call.name, table.names("workload"))));
    else {
      refer(call.range, t);
      if (t === d) report(diag("FIN4004", call.range, { name: d.name }));
    }
  }
  for (const s of v.all<SecretRead[]>("secret").flat()) {
    if (s.kind === "store" || s.kind === "files") storeRef(s.store);
    else if (s.kind === "output") {
      const db = table.lookup("workload", s.database.name);
      if (!db || db.kind !== "database") {
        const dbs = table.all.filter((x) => x.kind === "database").map((x) => x.name);
        report(diag("FIN2004", s.database.range, { expected: "database", name: s.database.name, didYouMean: didYouMean(s.database.name, dbs) || `Declare it: \`database ${s.database.name} { storage 10Gi  credentials from <store> "<path>" }\`.` }, closestFix(s.database.range, s.database.name, dbs)));
      } else {
        refer(s.database.range, db);
        if (!(DATABASE_OUTPUTS as readonly string[]).includes(s.output.name)) report(diag("FIN3012", s.output.range, { name: db.name, output: s.output.name, kind: "database", valid: DATABASE_OUTPUTS.join(", ") }));
      }
    }
  }
  const ports = v.get<{ name: string; port: number; range: SourceRange }[]>("port") ?? [];
  const seen = new Map<number, SourceRange>();
  for (const p of ports) {
    const prior = seen.get(p.port);
    if (prior) report(diag("FIN4003", p.range, { port: p.port, name: d.name }, { related: [{ message: "first declared here", range: prior }] }));
    seen.set(p.port, p.range);
  }
  for (const p of v.get<{ port?: Ref }[]>("probe") ?? []) {
    if (p.port && !ports.some((x) => x.name === p.port!.name)) report(diag("FIN2004", p.port.range, { expected: "port", name: p.port.name, didYouMean: didYouMean(p.port.name, ports.map((x) => x.name)) }, closestFix(p.port.range, p.port.name, ports.map((x) => x.name))));
  }
  checkTrafficRefs(d, v, table, refer, report);
  const image = v.get<{ value: string; range: SourceRange }>("image");
  if (image && isMutableTag(image.value)) report(diag("FIN4007", image.range, { image: image.value }));
}
