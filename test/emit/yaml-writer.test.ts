import { describe, expect, it } from "vitest";
import fc from "fast-check";
import YAML from "yaml";
import { toYaml, toYamlDocuments, writeYaml, type JsonValue } from "../../compiler/emit/shared/yaml.js";

// What a JSON-like value means once written: `undefined` keys dropped, -0 is 0,
// null-prototype objects become plain objects.
const normalise = (v: JsonValue): unknown => JSON.parse(JSON.stringify(v));

const TRICKY = [
  "", " ", "yes", "Yes", "YES", "no", "NO", "on", "Off", "y", "Y", "n", "N", "true", "False", "TRUE",
  "null", "Null", "NULL", "~", "nUlL", "yEs", "-", "- a", "-a", "--", "---", "--- a", "...", "?", "? a", ":",
  ":a", "a:", "a: b", "a :b", "a:b", "a #b", "a#b", "#x", " x", "x ", "\n", "a\nb", "\r\n", "\t", "a\tb",
  "é", "日本語", "😀", "\u0085", "a\u2028b", "\u2029", "\ufeff", "\ufeffa", "\u0000", "\u007f", "\u009f",
  "\ud800", "1:20", "190:20:30", "1:20.5", "0x1F", "0X1f", "+0x1F", "0o17", "0O17", "0b101", "-0b1",
  "0775", "0_7", "1e3", "1E3", "1e+3", "e0", "-E5", ".e1", "1.0e+3", "1.0e-3", ".5", "5.", "+.5", "1.2.3", ".", "-.", "..",
  "+1", "-1", "+0", "-0", "1_000", ".inf", "-.Inf", "+.INF", ".NaN", ".nan", "inf", "nan", "Infinity",
  "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43Z",
  "<<", "=", "!tag", "!!str", "&a", "*a", "|", "> x", "%x", "@x", "`x", "'q'", '"q"', "it's", "[a]", "{a}",
  ",", "a, b", "a\\b", "\\", "\\n", "500m", "128Mi", "nginx:1.25", "v1.25", "http://x.y/z?a=b#c",
  "--port=8080", "app.kubernetes.io/name", "a  b", "\u00a0x", "x\u3000", "a".repeat(300),
];
const PIECES = [
  " ", ":", "#", "-", "0", "1", "7", ".", "e", "E", "x", "o", "b", "y", "n", "_", "+", "~", "a", "Z", "T",
  "\n", "\r", "\t", "é", "😀", "\u0085", "\u2028", "\u2029", "\ufeff", "\u0000", "\u007f", "'", '"', "\\", "<", "=",
  "%", "!", "&", "*", "?", "[", "]", "{", "}", ",", "|", ">", "@", "`", "\ud800", "inf", "nan", "yes", "null",
];
const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((a) => a.join("")),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e21, -1e300, 5e-324, 0.1, 2 ** 53));
const { value: trickyValue } = fc.letrec<{ value: JsonValue; arr: JsonValue[]; obj: { [k: string]: JsonValue | undefined } }>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, trickyString, number, fc.boolean(), fc.constant(null), tie("arr"), tie("obj")),
  arr: fc.array(tie("value"), { maxLength: 4 }),
  obj: fc.dictionary(trickyString, fc.option(tie("value"), { nil: undefined }), { maxKeys: 4 }),
}));
const anyValue = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<JsonValue>,
  fc.jsonValue({ stringUnit: "binary" }) as fc.Arbitrary<JsonValue>,
  trickyValue,
);

// YAML 1.1 implicit types, transcribed from https://yaml.org/type/ (bool, null, int, float,
// timestamp, merge, value). Kept independent of the writer's own rules on purpose.
const YAML11 = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*Z|[-+][0-9][0-9]?(?::[0-9][0-9])?)?)$/,
  /^(?:<<|=)$/,
];
// YAML 1.2 core schema, plus the brief's "any case" words and Go's 0o / 0b / 0x int prefixes.
const OTHER = [
  /^(?:true|false|yes|no|on|off|y|n|null|~)$/i,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?0[box][0-9a-f_]+$/i,
  /^[-+]?\.(?:inf|nan)$/i,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // the `yaml` package's 1.1 float: `e0` is a number there
];

// Non-printable in YAML, or a line break / BOM in YAML 1.1: must only appear escaped.
const UNSAFE_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

/** Every plain (unquoted) string scalar, keys included, in `text`. */
function plainStrings(text: string): string[] {
  const found: string[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    YAML.visit(doc, {
      Scalar(_, node) {
        if (node.type === "PLAIN" && typeof node.value === "string") found.push(node.value);
      },
    });
  }
  return found;
}

describe("toYaml round-trip", () => {
  it("YAML.parse(toYaml(v)) equals v (1.2 and 1.1 parsers)", () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const text = toYaml(v);
        const expected = normalise(v);
        expect(text.endsWith("\n")).toBe(true);
        expect(text).not.toMatch(UNSAFE_CHARS);
        expect(YAML.parse(text)).toStrictEqual(expected);
        expect(YAML.parse(text, { version: "1.1" })).toStrictEqual(expected);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("round-trips every tricky string as a value, a key and a sequence item", () => {
    for (const s of TRICKY) {
      const v = { [s]: s, list: [s, { [s]: [s] }] };
      expect(YAML.parse(toYaml(s)), JSON.stringify(s)).toBe(s);
      expect(toYaml(v)).not.toMatch(UNSAFE_CHARS);
      expect(YAML.parse(toYaml(v)), JSON.stringify(s)).toStrictEqual(v);
      expect(YAML.parse(toYaml(v), { version: "1.1" }), JSON.stringify(s)).toStrictEqual(v);
    }
  });
});

describe("toYaml YAML 1.1 safety", () => {
  it("never writes a plain scalar that a YAML 1.1 (or 1.2) resolver would not read as a string", () => {
    fc.assert(
      fc.property(trickyValue, (v) => {
        for (const s of plainStrings(toYaml(v))) {
          for (const re of [...YAML11, ...OTHER]) expect(s, `plain ${JSON.stringify(s)} matches ${re}`).not.toMatch(re);
          expect(s).not.toMatch(/^\s|\s$|[\n\r\t\u0085\u2028\u2029\ufeff]/);
        }
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it("quotes the classic YAML 1.1 traps and keeps ordinary Kubernetes strings plain", () => {
    for (const s of ["yes", "NO", "on", "y", "0775", "1e3", "1:20", "0x1F", ".5", "1.2.3", "2001-12-14", "<<", "=", "", "-", "~", "null", " x", "a: b", "a #b"]) {
      expect(toYaml(s), s).toMatch(/^"/);
    }
    for (const s of ["nginx:1.25", "--port=8080", "500m", "128Mi", "app.kubernetes.io/name", "hello world", "http://x/y#z", "yesterday", "v1"]) {
      expect(toYaml(s)).toBe(s + "\n");
    }
  });
});

describe("toYaml output", () => {
  const deployment: JsonValue = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "payments-api",
      namespace: "payments",
      labels: { "app.kubernetes.io/name": "payments-api", "app.kubernetes.io/version": "1.4", tier: undefined },
      annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090", note: "a: b # not a comment" },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "payments-api" } },
      template: {
        metadata: { labels: { app: "payments-api" } },
        spec: {
          containers: [
            {
              name: "api",
              image: "registry.example.com/payments/api:1.4.2",
              args: ["--port=8080", "--verbose"],
              env: [
                { name: "FEATURE_X", value: "on" },
                { name: "UMASK", value: "0775" },
                { name: "GREETING", value: "hello\nworld" },
                { name: "EMPTY", value: "" },
              ],
              ports: [{ containerPort: 8080, protocol: "TCP" }],
              resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: 0.25 } },
              readOnly: true,
              securityContext: {},
            },
          ],
          volumes: [],
          nodeSelector: null,
        },
      },
    },
  };

  it("writes a Deployment exactly", () => {
    expect(toYaml(deployment)).toBe(
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
  namespace: payments
  labels:
    app.kubernetes.io/name: payments-api
    app.kubernetes.io/version: "1.4"
  annotations:
    prometheus.io/scrape: "true"
    prometheus.io/port: "9090"
    note: "a: b # not a comment"
spec:
  replicas: 3
  selector:
    matchLabels:
      app: payments-api
  template:
    metadata:
      labels:
        app: payments-api
    spec:
      containers:
        - name: api
          image: registry.example.com/payments/api:1.4.2
          args:
            - --port=8080
            - --verbose
          env:
            - name: FEATURE_X
              value: "on"
            - name: UMASK
              value: "0775"
            - name: GREETING
              value: "hello\\nworld"
            - name: EMPTY
              value: ""
          ports:
            - containerPort: 8080
              protocol: TCP
          resources:
            limits:
              cpu: 500m
              memory: 128Mi
            requests:
              cpu: 0.25
          readOnly: true
          securityContext: {}
      volumes: []
      nodeSelector: null
`,
    );
  });

  it("matches the yaml package's layout when no string needs quoting", () => {
    const v = { a: [1, [2, [3, []]], { b: [{ c: {} }], d: "x" }, {}], e: { f: { g: [true, null] } } };
    expect(toYaml(v)).toBe(YAML.stringify(v, { lineWidth: 0 }));
  });

  it("handles top-level scalars, empty collections, numbers and long keys", () => {
    expect(toYaml("x")).toBe("x\n");
    expect(toYaml(null)).toBe("null\n");
    expect(toYaml({})).toBe("{}\n");
    expect(toYaml({ a: undefined })).toBe("{}\n");
    expect(toYaml([])).toBe("[]\n");
    expect(toYaml([[], {}, [[]]])).toBe("- []\n- {}\n- - []\n");
    expect(toYaml([1e21, 5e-7, -0, 1.5, -3])).toBe("- 1.0e+21\n- 5.0e-7\n- 0\n- 1.5\n- -3\n");
    expect(toYaml("x".repeat(5000))).toBe("x".repeat(5000) + "\n"); // never folded
    const long = { ["k".repeat(2000)]: { a: 1 }, ["j".repeat(1500)]: 2, x: { ["é: ".repeat(400)]: [1, ["y"]], ["q".repeat(1001)]: [] } };
    expect(YAML.parse(toYaml(long))).toStrictEqual(long);
    expect(YAML.parse(toYaml(long), { version: "1.1" })).toStrictEqual(long);
  });

  it("rejects values that are not JSON", () => {
    expect(() => toYaml(NaN)).toThrow(/non-finite/);
    expect(() => toYaml({ a: [Infinity] })).toThrow(/non-finite/);
    expect(() => toYaml([undefined] as unknown as JsonValue)).toThrow(/undefined/);
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(trickyValue, (v) => {
        expect(toYaml(v)).toBe(toYaml(v));
        expect(toYaml(structuredClone(v))).toBe(toYaml(v));
      }),
      { numRuns: 500 },
    );
    expect(toYaml(deployment)).toBe(toYaml(JSON.parse(JSON.stringify(deployment))));
  });

  it("writes multi-document streams that parse back", () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 5 }), (values) => {
        const text = toYamlDocuments(values);
        const docs = YAML.parseAllDocuments(text);
        expect(docs.flatMap((d) => d.errors)).toEqual([]);
        expect(docs.map((d) => d.toJS())).toStrictEqual(values.map(normalise));
      }),
      { numRuns: 500 },
    );
    expect(toYamlDocuments([{ a: 1 }, "b", [2]])).toBe("a: 1\n---\nb\n---\n- 2\n");
    expect(toYamlDocuments([deployment, deployment])).toBe(toYaml(deployment) + "---\n" + toYaml(deployment));
  });
});

describe("writeYaml: a mapping written in pieces", () => {
  const mapping = fc.dictionary(fc.string(), fc.oneof(anyValue, fc.array(anyValue, { maxLength: 7 })), { maxKeys: 6 });
  it("the pieces joined are toYaml's bytes, whatever the batch size (every flush point)", () => {
    fc.assert(
      fc.property(mapping, fc.integer({ min: 1, max: 4 }), (v, batch) => {
        const pieces: string[] = [];
        writeYaml(v, (t) => void pieces.push(t), batch);
        expect(pieces.join("")).toBe(toYaml(v));
      }),
      { numRuns: 1500 },
    );
  });
  it("a long list is never one piece: one per batch of items", () => {
    const v = { name: "x", denied: Array.from({ length: 10 }, (_, i) => ({ from: `a/${i}`, to: "b" })), empty: [], more: {} };
    const pieces: string[] = [];
    writeYaml(v, (t) => void pieces.push(t), 4);
    expect(pieces.join("")).toBe(toYaml(v));
    // "name" and the first 4 items, 4 more, the last 2 and the empty collections.
    expect(pieces).toHaveLength(3);
    expect(pieces[0]).toBe("name: x\ndenied:\n" + [0, 1, 2, 3].map((i) => `  - from: a/${i}\n    to: b\n`).join(""));
    expect(pieces[2]).toBe("  - from: a/8\n    to: b\n  - from: a/9\n    to: b\nempty: []\nmore: {}\n");
  });
});
