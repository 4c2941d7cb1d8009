import type { Diagnostic, RelatedInformation, CodeFix, Severity, SourceRange } from "./diagnostic.js";

interface MessageDef {
  readonly name: string;
  readonly severity: Severity;
  /** Template with {param} placeholders. */
  readonly message: string;
  /** What the user should do; also a template. */
  readonly hint?: string;
}

/**
 * THE table of diagnostics. Codes are stable forever: never renumber, only add.
 * FIN1xxx syntax, FIN2xxx names and imports, FIN3xxx types and units,
 * FIN4xxx platform semantics and policy, FIN5xxx emitters, FIN6xxx CLI.
 */
export const messages = {
  FIN1001: { name: "invalid-character", severity: "error", message: "Unexpected character {char}.", hint: "Remove it; strings go in double quotes." },
  FIN1002: { name: "unterminated-string", severity: "error", message: "Unterminated string.", hint: 'Close the string with " on the same line.' },
  FIN1003: { name: "syntax-error", severity: "error", message: "{message}", hint: "{hint}" },
  FIN1004: { name: "nesting-too-deep", severity: "error", message: "Brackets are nested more than {max} levels deep (`[` and `{` together).", hint: "A spec never needs this much nesting; remove the extra brackets. finc skips everything up to the matching bracket." },

  FIN2001: { name: "unknown-declaration-kind", severity: "error", message: "Unknown declaration kind '{kind}'.", hint: "Declarations are: {valid}" },
  FIN2002: { name: "duplicate-declaration", severity: "error", message: "{kind} '{name}' is declared more than once.", hint: "Rename one of them." },
  FIN2003: { name: "unknown-field", severity: "error", message: "'{field}' is not a field of {kind}.", hint: "{didYouMean}" },
  FIN2004: { name: "unresolved-reference", severity: "error", message: "Cannot find {expected} '{name}'.", hint: "{didYouMean}" },
  FIN2005: { name: "unresolved-import", severity: "error", message: "Cannot find module '{path}'.", hint: "Imports name a stdlib module (e.g. \"fintech/payment-api\") or a relative .fin file (\"./shared.fin\")." },
  FIN2006: { name: "unknown-pattern", severity: "error", message: "Cannot find pattern '{name}' for {kind}.", hint: "{didYouMean}" },
  FIN2007: { name: "duplicate-field", severity: "error", message: "Field '{field}' is set more than once.", hint: "Keep one; repeatable fields are: {repeatable}." },
  FIN2008: { name: "unknown-environment", severity: "error", message: "Environment '{name}' is not declared by the platform.", hint: "Add it to the platform's `environments` list{didYouMean}." },
  FIN2009: { name: "unknown-override-target", severity: "error", message: "Cannot find declaration '{name}' to override.", hint: "{didYouMean}" },
  FIN2010: { name: "missing-platform", severity: "error", message: "The spec has no platform declaration.", hint: "Add `platform <name> { environments dev, prod }`." },
  FIN2012: { name: "missing-name", severity: "error", message: "A {kind} declaration needs a name.", hint: "Write `{kind} <name> {…}`." },
  FIN2013: { name: "empty-spec", severity: "error", message: "The spec declares nothing: there is nothing to build.", hint: "Add `platform <name> { environments dev, prod }` and the services, databases and namespaces it runs." },
  FIN2014: { name: "reserved-name", severity: "error", message: "'{name}' would take the name of {what}; a {kind} cannot have this name.", hint: "Rename the {kind}: one of the two objects would silently replace the other." },
  FIN2015: { name: "import-cycle", severity: "error", message: "{message}", hint: "Declarations are visible across every file of a spec, so this import is not needed for the names: remove it, or move what both files need into a third file they both import." },
  FIN2016: { name: "pattern-cycle", severity: "error", message: "Pattern '{name}' extends itself through {cycle}.", hint: "A pattern chain must end in a pattern with no `is`: remove `is {base}` here, or extend a pattern outside the cycle." },
  FIN2017: { name: "import-outside-root", severity: "error", message: "'{path}' resolves to {target}, outside the project root {root}.", hint: "Imports stay inside the project: the nearest folder above the inputs holding a `finc.root` file (else the common folder of the inputs). Move the shared file into it, or put a `finc.root` file in a folder above both." },

  FIN3001: { name: "type-mismatch", severity: "error", message: "'{field}' expects {expected}, found {found}.", hint: "{hint}" },
  FIN3002: { name: "unit-mismatch", severity: "error", message: "'{value}' is not {expected}.", hint: "{hint}" },
  FIN3003: { name: "missing-required-field", severity: "error", message: "{kind} '{name}' is missing the required field '{field}'.", hint: "Add `{field} {example}`." },
  FIN3004: { name: "out-of-range", severity: "error", message: "{what} must be {bound}, found {value}.", hint: "{hint}" },
  FIN3005: { name: "request-exceeds-limit", severity: "error", message: "The {resource} request {request} is greater than its limit {limit}.", hint: "Write `{resource} <request> to <limit>` with request ≤ limit." },
  FIN3006: { name: "min-exceeds-max", severity: "error", message: "Minimum replicas {min} is greater than maximum {max}.", hint: "Write `replicas <min> to <max>` with min ≤ max." },
  FIN3007: { name: "invalid-enum", severity: "error", message: "'{value}' is not a valid {what}.", hint: "Use one of: {valid}." },
  FIN3008: { name: "invalid-name", severity: "error", message: "'{name}' is not a valid Kubernetes name.", hint: "Use lower-case letters, digits and '-', starting with a letter, at most {max} characters." },
  FIN3009: { name: "invalid-image", severity: "error", message: "'{image}' is not a valid image reference.", hint: "Write registry/repository:tag or registry/repository@sha256:digest." },
  FIN3010: { name: "invalid-hostname", severity: "error", message: "'{host}' is not a valid DNS hostname.", hint: "Use a fully qualified name such as api.example.com." },
  FIN3011: { name: "pattern-constraint", severity: "error", message: "{message}", hint: "The pattern '{pattern}' requires this; see its documentation." },
  FIN3012: { name: "invalid-output", severity: "error", message: "'{name}' has no output '{output}'.", hint: "Outputs of a {kind}: {valid}." },
  FIN3013: { name: "split-weights", severity: "error", message: "The traffic split of '{name}' adds up to {sum}%, not 100%.", hint: "Adjust the weights so they add up to exactly 100%." },
  FIN3014: { name: "retries-exceed-timeout", severity: "error", message: "The first try and {attempts} retries of {perTry} each can take {total}, longer than the route timeout {timeout}.", hint: "Lower the retries or the per-try timeout, or raise `timeout`." },
  FIN3015: { name: "invalid-config-value", severity: "error", message: "Config key '{key}' of '{name}' is {expected}, found '{value}'.", hint: "{hint}" },
  FIN3016: { name: "invalid-cron", severity: "error", message: "'{value}' is not a cron schedule: {why}.", hint: "Write five fields — minute hour day-of-month month day-of-week — such as \"0 7 * * 1-5\" (07:00 on weekdays)." },
  FIN3017: { name: "invalid-timezone", severity: "error", message: "'{value}' is not an IANA time zone name.", hint: "Write a tz database name such as \"Europe/London\", \"America/New_York\" or \"UTC\"." },
  FIN3018: { name: "canary-weights", severity: "error", message: "Canary weight {weight}% must be greater than the step before it ({previous}%) and at most 100%.", hint: "List the traffic weights in increasing order, e.g. `rollout canary 10%, 50%`; after the last step the rollout goes to 100%." },
  FIN3019: { name: "slo-objective", severity: "error", message: "The availability objective of '{name}' must be greater than 0% and less than 100%, found {value}.", hint: "100% leaves no error budget to alert on; write the share of requests that must succeed, such as 99.9% or 99.95%." },
  FIN3020: { name: "slo-percentile", severity: "error", message: "'{value}' is not a latency percentile from p50 to p99.9.", hint: "Write p50, p90, p95, p99 or p999 / p99.9 (the 99.9th percentile)." },
  FIN3021: { name: "slo-window", severity: "error", message: "The SLO window must be 7d, 28d or 30d, found {value}.", hint: "Error budgets are computed over a rolling 7, 28 or 30 days; 30d is the default." },
  FIN3022: { name: "invalid-command", severity: "error", message: "The command {command} cannot be split into arguments: {why}.", hint: "Quote with ' or \" as in a POSIX shell (no expansion), e.g. run \"sh -c 'migrate up && echo done'\", or write a list: run [\"migrate\", \"up\"]." },
  FIN3023: { name: "unsafe-path", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3024: { name: "invalid-worker", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3025: { name: "invalid-job", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3026: { name: "invalid-schedule-target", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3027: { name: "invalid-job-policy", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3028: { name: "secret-in-config", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3029: { name: "service-exposure", severity: "error", message: "{message}", hint: "{hint}" }, // node port / public load balancer under pci-dss, any of them with the mesh (check-service-exposure.ts)
  FIN3030: { name: "invalid-file-mode", severity: "error", message: "{message}", hint: "{hint}" }, // octal 0400-0777 `mode` of a secret file (secret-file-field.ts)
  FIN3031: { name: "overlapping-mounts", severity: "error", message: "{message}", hint: "{hint}" }, // volume/scratch/writable/config-mount/secret-file directories (check-volumes.ts)
  FIN3032: { name: "shared-volume-replicas", severity: "error", message: "{message}", hint: "{hint}" }, // a shared RWO volume under several replicas; per-replica on a job (check-volumes.ts)
  FIN3033: { name: "invalid-volume", severity: "error", message: "{message}", hint: "{hint}" }, // storage class name, per-replica with rollout/split, memory scratch over the limit (check-volumes.ts)
  FIN3034: { name: "downward-env", severity: "error", message: "{message}", hint: "{hint}" }, // env … from pod.* (check-pod-details.ts)
  FIN3035: { name: "invalid-label", severity: "error", message: "{message}", hint: "{hint}" }, // labels/annotations syntax and finc-owned keys (label-syntax.ts)
  FIN3036: { name: "drain-exceeds-grace", severity: "error", message: "{message}", hint: "{hint}" }, // drain >= grace (check-pod-details.ts)
  FIN3037: { name: "wildcard-host", severity: "error", message: "{message}", hint: "{hint}" }, // catch-all host with tls / under pci-dss, wildcard with HTTP-01 (check-pod-details.ts)
  FIN3038: { name: "override-unknown-field", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3039: { name: "override-value-type", severity: "error", message: "'{path}' of a {kind} expects {expected}, found {found}.", hint: "{hint}" },
  FIN3040: { name: "override-weakens-security", severity: "error", message: "This override would undo a security guarantee of {kind} '{name}': {guarantee} (namespace '{namespace}' is {level}).", hint: "{hint}" },
  FIN3041: { name: "override-unknown-object", severity: "error", message: "{message}", hint: "{hint}" },
  FIN3042: { name: "invalid-repository", severity: "error", message: "'{value}' cannot be the delivery repository: {why}.", hint: "Write an https or ssh Git URL such as \"https://git.example.com/payments/deploy.git\" or \"git@git.example.com:payments/deploy.git\"." },
  FIN3043: { name: "invalid-repository-path", severity: "error", message: "'{value}' cannot be the repository path of the output: {why}.", hint: "Write the directory `finc build --out` writes, relative to the repository root, such as \"deploy\"." },

  FIN4001: { name: "plaintext-secret", severity: "error", message: "A secret value is written in plain text.", hint: "Reference a secret store instead: `secret {key} from <store> \"path/to/secret\" key \"{lower}\"` (a secretstore of the spec)." },
  FIN4002: { name: "quota-exceeded", severity: "error", message: "Namespace '{namespace}' can exceed its {resource} quota: workloads at max replicas need {needed}, the quota is {quota}.", hint: "Raise the quota or lower max replicas or limits." },
  FIN4003: { name: "duplicate-port", severity: "error", message: "Port {port} is declared more than once on '{name}'.", hint: "Each port of a workload needs its own number." },
  FIN4004: { name: "self-call", severity: "warning", message: "'{name}' declares a call to itself.", hint: "Remove it: a service can always reach itself." },
  FIN4005: { name: "compliance-violation", severity: "error", message: "{message}", hint: "Required by the {profile} compliance profile." },
  FIN4006: { name: "no-namespace", severity: "error", message: "'{name}' does not say which namespace it belongs to and the spec declares {count} namespaces.", hint: "Add `namespace <name>`." },
  FIN4007: { name: "mutable-image-tag", severity: "warning", message: "Image '{image}' uses the mutable tag 'latest' or no tag.", hint: "Pin a version tag or a sha256 digest." },
  FIN4008: { name: "duplicate-route", severity: "error", message: "Host '{host}' path {path} is exposed by both '{first}' and '{second}'.", hint: "A host and path of the gateway routes to one service: change the path or the host." },
  FIN4009: { name: "issuer-authority", severity: "error", message: "Issuer '{name}' needs exactly one certificate authority: `acme \"<directory>\" email \"<address>\"` or `ca \"<secret>\"`.", hint: "Let's Encrypt: acme \"https://acme-v02.api.letsencrypt.org/directory\" email \"ops@example.com\"." },
  FIN4010: { name: "needs-mesh", severity: "warning", message: "'{field}' on '{name}' needs `mesh istio` on the platform; without a mesh it has no effect.", hint: "Add `mesh istio` to the platform, or remove the field." },
  FIN4011: { name: "rate-limit-not-enforced", severity: "warning", message: "The rate limit of '{name}' is not enforced: {why}.", hint: "{hint}" },
  FIN4012: { name: "conflicting-tls", severity: "error", message: "Host '{host}' gets its certificate from issuer '{first}' on '{a}' and from '{second}' on '{b}'.", hint: "A host has one certificate: use the same issuer everywhere it is exposed." },
  FIN4013: { name: "solver-without-acme", severity: "warning", message: "Issuer '{name}' is a private CA: `solver` only applies to ACME issuers and has no effect.", hint: "Remove `solver`, or make the issuer `acme \"<directory>\" email \"<address>\"`." },
  FIN4014: { name: "http01-without-ingress", severity: "error", message: "Issuer '{name}' cannot solve ACME HTTP-01 challenges: the platform has `ingress none`, so nothing serves /.well-known/acme-challenge/.", hint: "{hint}" },
  FIN4015: { name: "vault-agent-delivery", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4016: { name: "vault-egress-unrestricted", severity: "warning", message: "Pods reading secrets from '{name}' through the Vault agent cannot reach {host}:{port}: the namespaces deny egress by default and a NetworkPolicy cannot name a DNS host.", hint: "Add `cidr \"<address block of the Vault servers>\"` to the secret store, or route the traffic through an egress gateway and allow it with a NetworkPolicy of your own." },
  FIN4017: { name: "wildcard-http01", severity: "error", message: "'{host}' is a wildcard host, and issuer '{issuer}' would solve it over ACME HTTP-01: ACME CAs issue wildcard certificates only over DNS-01.", hint: "{hint}" },
  FIN4018: { name: "scale-needs-range", severity: "error", message: "'{name}' scales on events but its replicas are fixed at {replicas}.", hint: "Give it a range for KEDA to scale in: `replicas <min> to <max>` (min may be 0 to scale to zero)." },
  FIN4019: { name: "vpa-hpa-conflict", severity: "error", message: "`right-size auto` on '{name}' fights its horizontal autoscaler, which scales on {metric}: both react to the same usage.", hint: "Use `right-size recommend` (recommendations only), or scale horizontally on events only (`scale on …` without `at cpu`/`at memory`)." },
  FIN4020: { name: "rollout-split-conflict", severity: "error", message: "'{name}' has both a `rollout` and a traffic `split`: Argo Rollouts sets the canary's weights itself.", hint: "Keep one: `rollout canary …` for automated progressive delivery, or `split` for a fixed weighted split." },
  FIN4021: { name: "critical-on-spot", severity: "error", message: "'{name}' is `tier critical` but runs on spot capacity: spot nodes are reclaimed at short notice.", hint: "Remove `spot yes`, or lower the tier to standard or batch." },
  FIN4022: { name: "not-monitored", severity: "warning", message: "{message}", hint: "{hint}" },
  FIN4023: { name: "latency-bucket", severity: "warning", message: "The latency objective {threshold} of '{name}' is not a bucket boundary of Istio's request-duration histogram: it is measured at {bucket}, the boundary below it (stricter than written).", hint: "Use a boundary: {valid}." },
  FIN4030: { name: "cloud-settings", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4031: { name: "cloud-field-unused", severity: "warning", message: "'{field}' has no effect on `cloud {cloud}`: {why}.", hint: "{hint}" },
  FIN4032: { name: "embedded-credential", severity: "error", message: "{what} looks like a credential written in plain text.", hint: "{hint}" },
  FIN4033: { name: "wildcard-secret-path", severity: "error", message: "The secret path '{path}' contains '{char}': {why}.", hint: "Name exactly one secret (letters, digits and / _ + = . @ -); finc grants access to exactly the secrets a spec names." },
  FIN4034: { name: "weakened-security", severity: "warning", message: "{message}", hint: "{hint}" },
  FIN4040: { name: "standalone-replicas", severity: "error", message: "'{name}' is a standalone PostgreSQL with {instances} instances: plain StatefulSet pods do not replicate, so each would be a separate primary with its own data.", hint: "Use `instances 1` with `standalone`, or drop `standalone` to let the CloudNativePG operator run replicas with failover." },
  FIN4045: { name: "mesh-needs-cni", severity: "error", message: "Namespace '{namespace}' enforces Pod Security `{level}`, which rejects the istio-init container Istio injects next to every sidecar (it needs NET_ADMIN and NET_RAW): no pod of the namespace would start.", hint: "Install the Istio CNI node agent and say so: `mesh istio sidecar cni`; or run Istio in ambient mode (no sidecars, no init container): `mesh istio ambient`." },
  FIN4046: { name: "invalid-egress", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4047: { name: "egress-open", severity: "warning", message: "`egress {target}` on '{name}' opens {what}.", hint: "Name the hosts (`egress \"api.example.com\" 443`) or the narrowest address block the service talks to." },
  FIN4048: { name: "gateway-unused", severity: "warning", message: "`gateway` has no effect without `ingress istio`: {why}.", hint: "Remove `gateway`, or set `ingress istio`." },
  FIN4050: { name: "region-outside-residency", severity: "error", message: "'{region}' is not in {jurisdiction}, but namespace '{namespace}' keeps its data there (`residency {residency}`): its pods would be kept off this region's nodes while the platform's clusters, backups and replicas in it sit outside the jurisdiction.", hint: "{hint}" },
  FIN4051: { name: "unknown-residency", severity: "error", message: "'{residency}' is not a jurisdiction finc knows the {cloud} regions of, so no node could be pinned to it.", hint: "Use one of: {known}." },
  FIN4052: { name: "onprem-storage-provisioner", severity: "error", message: "`cloud onprem` has no known CSI driver, and {what} needs volumes: a StorageClass without a real provisioner leaves every PersistentVolumeClaim Pending.", hint: 'Name the cluster\'s CSI driver on the platform: storage-provisioner "csi.vsphere.vmware.com" (or "rbd.csi.ceph.com", "driver.longhorn.io", …).' },
  FIN4053: { name: "sqs-needs-aws", severity: "error", message: "'{name}' scales on an SQS queue, which KEDA reads with the workload's AWS IAM role, but the platform runs on `cloud {cloud}`: there is no such role to assume.", hint: "Scale on a queue of the platform's cloud, or run the platform on `cloud aws`." },
  FIN4054: { name: "sqs-role-unannotated", severity: "warning", message: "'{name}' scales on an SQS queue with its own IAM role (KEDA `identityOwner: workload`), but without the platform's {missing} finc cannot annotate its ServiceAccount with the role's ARN: KEDA would have no role to assume.", hint: 'Add `account "<12-digit AWS account ID>"` and `cluster "<EKS cluster>"` to the platform, or annotate the ServiceAccount with the terraform output workload_role_arns yourself.' },

  FIN4055: { name: "database-replica", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4056: { name: "database-init", severity: "error", message: "`init \"{path}\"` on '{name}': {message}", hint: "{hint}" },
  FIN4057: { name: "database-image", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4058: { name: "egress-gateway", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4059: { name: "alert-webhook-egress", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4061: { name: "backup-role", severity: "warning", message: "'{name}' archives its backups to the S3 bucket with an IAM role for its service account (IRSA), but without the platform's `cluster` finc cannot name that role: the Cluster's ServiceAccount gets no `eks.amazonaws.com/role-arn` and barman-cloud has no credentials, so WAL archiving and every backup fail.", hint: "Add `cluster \"<EKS cluster>\"` to the platform (per environment: `platform.cluster \"…\"`): the terraform target then creates the role and the Cluster annotates its ServiceAccount with it." },
  FIN4062: { name: "compliance-profile-not-implemented", severity: "error", message: "finc does not implement the compliance profile '{profile}': none of its rules checks, enforces or emits anything, so naming it would promise what nothing delivers.", hint: "Implemented profiles: {implemented}. Remove '{profile}' or add its rules to compiler/model/compliance/profiles.ts." }, // check-compliance.ts
  FIN4063: { name: "compliance-no-transit-encryption", severity: "error", message: "`compliance pci-dss` needs traffic between the pods encrypted ({requirement}), but with `mesh none` the pods talk in plain text.", hint: "Set `mesh istio sidecar cni` (or `mesh istio ambient`): the mesh's STRICT mutual TLS encrypts every pod-to-pod connection." }, // check-compliance.ts
  FIN4064: { name: "compliance-setting-missing", severity: "error", message: "{message}", hint: "{hint}" }, // gdpr residency, soc2/dora monitoring, dora backups (check-compliance.ts)
  FIN4065: { name: "image-outside-registry", severity: "error", message: "{message}", hint: "{hint}" }, // pci-dss: images only from the platform's registry (check-compliance.ts)
  FIN4066: { name: "audit-retention-too-short", severity: "error", message: "{message}", hint: "{hint}" }, // check-audit-log.ts
  FIN4067: { name: "audit-hot-longer-than-retention", severity: "error", message: "{message}", hint: "{hint}" }, // schema/audit-log-field.ts
  FIN4068: { name: "recovery-point-unmet", severity: "error", message: "'{name}' asks for an RPO of {objective}, but {scenario} its configuration loses {achieved}.", hint: "{hint}" },
  FIN4069: { name: "recovery-time-unmet", severity: "error", message: "'{name}' asks for an RTO of {objective}, but {scenario} its recovery takes {achieved}.", hint: "{hint}" },
  FIN4070: { name: "chaos-environment", severity: "error", message: "{message}", hint: "{hint}" }, // check-chaos.ts: an unknown environment, or production without allow-production
  FIN4071: { name: "invalid-pipeline", severity: "error", message: "{message}", hint: "{hint}" }, // check-pipeline.ts: a bad promote chain; pipeline-field.ts: a bad spec path
  FIN4072: { name: "spot-without-spot-pool", severity: "error", message: "{message}", hint: "{hint}" }, // check-nodepools.ts: `spot yes` with node pools declared but none it can land on
  FIN4073: { name: "nodepool-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-nodepools.ts: a pool on onprem, or `taint pci` without namespaces
  FIN4074: { name: "immutable-image-not-pinned", severity: "error", message: "'{workload}' runs '{image}' in namespace '{namespace}', which is `deploy immutable`: its images must be pinned by digest.", hint: "Name the image by digest, \"{image}@sha256:<digest>\" (`crane digest {image}` or `docker buildx imagetools inspect {image}` prints it): what runs is then exactly what was reviewed and scanned." }, // check-immutable.ts
  FIN4075: { name: "immutable-deploy-conflict", severity: "error", message: "{message}", hint: "{hint}" }, // check-immutable.ts: what must change in place in a `deploy immutable` namespace (standalone postgres by tag, rotated credentials, a sealed secret)
  FIN4076: { name: "scanning-without-alerts", severity: "warning", message: "The Trivy Operator will scan the platform's images, but without `monitoring prometheus` nothing alerts on a critical vulnerability: its reports wait for someone to read them.", hint: "Add `monitoring prometheus` to the platform: finc then writes a PrometheusRule on the operator's metrics." }, // check-scanning.ts
  FIN4077: { name: "drill-without-archive", severity: "error", message: "The database '{name}' cannot be drilled: {why}.", hint: "{hint}" },
  FIN4078: { name: "invalid-drill", severity: "error", message: "The drill of '{name}' cannot succeed: its {why}.", hint: "{hint}" },
  FIN4079: { name: "invalid-smoke-test", severity: "error", message: "The smoke test of '{name}' cannot run: {why}.", hint: "{hint}" },
  FIN4080: { name: "cluster-region", severity: "error", message: "{message}", hint: "{hint}" }, // check-clusters.ts: a `cluster` in a region the platform does not list
  FIN4081: { name: "cluster-roles", severity: "error", message: "{message}", hint: "{hint}" }, // check-clusters.ts: not exactly one primary among an environment's clusters, or an unknown environment in `environments`
  FIN4082: { name: "standby-without-data", severity: "error", message: "{message}", hint: "{hint}" }, // check-clusters.ts: a standby cluster that cannot replicate a database (no backup, no `replicate to` its region, standalone, no bucket)
  FIN4083: { name: "regional-failover-without-cluster", severity: "error", message: "{message}", hint: "{hint}" }, // check-clusters.ts: an RTO met only by promoting a replica in a region where no cluster runs the environment
  FIN4084: { name: "cloud-key-form", severity: "error", message: "{message}", hint: "{hint}" },
  FIN4085: { name: "store-cloud-mismatch", severity: "warning", message: "{message}", hint: "{hint}" },
  FIN4086: { name: "azure-client-id", severity: "warning", message: "{message}", hint: "{hint}" },
  FIN4087: { name: "cloud-field-missing", severity: "warning", message: "{message}", hint: "{hint}" },
  FIN4088: { name: "invalid-scheduling", severity: "error", message: "{message}", hint: "{hint}" }, // schema/scheduling-fields.ts: a node selector or scheduler name Kubernetes rejects
  FIN4089: { name: "spread-cannot-hold", severity: "warning", message: "{message}", hint: "{hint}" }, // check-scheduling.ts: a hard spread with nothing to spread or that cannot be met
  FIN4090: { name: "profiling-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-scheduling.ts: `profile` without a platform profiler, or an unknown environment
  FIN4091: { name: "profile-port-served", severity: "error", message: "{message}", hint: "{hint}" }, // check-scheduling.ts: the pprof port is a serving (or exposed) port
  FIN4092: { name: "budget-exceeded", severity: "warning", message: "{message}", hint: "{hint}" }, // check-budget.ts: the cost estimate at maximum replicas passes a `budget`
  FIN4093: { name: "ingress-cloud-mismatch", severity: "error", message: "`{field}` {why}.", hint: "{hint}" },
  FIN4094: { name: "sleep-in-production", severity: "error", message: "{message}", hint: "{hint}" }, // check-sleep.ts: `sleep` (scale-down windows) in an environment named prod/production
  FIN4095: { name: "audit-log-without-storage", severity: "error", message: "{message}", hint: "{hint}" }, // check-audit-log.ts: an `audit-log` finc cannot ship to write-once storage on this platform
  FIN4096: { name: "nodepool-cloud-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-cloud-nodepools.ts: what a GKE/AKS node pool cannot express (warning: expire/consolidate ignored); EC2 types on aws
  FIN4097: { name: "budget-cloud-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-cloud-budgets.ts: a gcp budget without billing-account/account, an azure one without account/resource-group; (warning) a namespace budget on azure, billing-account off gcp
  FIN4098: { name: "cloud-monitoring-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-cloud-monitoring.ts
  FIN4099: { name: "cloud-monitoring-mismatch", severity: "error", message: "{message}", hint: "{hint}" }, // check-cloud-monitoring.ts
  FIN4100: { name: "replica-cloud-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-database-replica.ts: `replicate to` a region gcp/azure geo-redundant storage cannot copy the backups to
  FIN4101: { name: "active-active-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-active-clusters.ts: `role active` off aws with external-dns, or a service there that writes a database whose primary is in another active cluster
  FIN4102: { name: "dns-health-check-config", severity: "error", message: "{message}", hint: "{hint}" }, // check-active-clusters.ts: a cluster `health-check` finc cannot attach in a multi-cluster environment (off aws, `dns none`, not `ingress istio`) or an exposed host with no HTTP path to check
  FIN4103: { name: "drill-cloud-config", severity: "warning", message: "The drill of '{name}' is not built yet: {why}.", hint: "{hint}" },
  FIN5001: { name: "object-collision", severity: "error", message: "Two generated objects are both {identity} ({which}): one would silently replace the other.", hint: "Rename one of the declarations behind them; finc never lets one generated object replace another." },
  FIN6001: { name: "import-literal-secret", severity: "warning", message: "{what} is a literal secret value: finc import did not copy it and wrote `secret {env} from {store} \"{path}\"` in its place.", hint: "Put the value into the store {store} at \"{path}\" (key \"{key}\"), then remove it from these manifests and from their history: anyone who can read them can read it." },
  FIN6002: { name: "import-unreadable-manifest", severity: "error", message: "Cannot import {what}: {why}.", hint: "Fix the YAML or leave the file out; finc import reads Kubernetes objects (mappings with apiVersion, kind and metadata.name), also `helm template` and `kubectl kustomize` output." },
  FIN6003: { name: "import-not-mapped", severity: "info", message: "{kind} '{name}' is not mapped: {why}.", hint: "It is kept as a comment block (with its file, document and JSON pointer) at the end of the imported .fin: port it by hand, or keep applying it outside finc." },
  FIN6004: { name: "import-ambiguous-mapping", severity: "warning", message: "{subject} could map to {candidates}; finc import chose {choice}.", hint: "Check that choice in the imported .fin; finc gives a workload exactly one Service, named after the workload." },
} as const satisfies Record<string, MessageDef>;

export type DiagnosticCode = keyof typeof messages;

function fill(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

export interface DiagOptions {
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly CodeFix[];
  readonly severity?: Severity;
}

/** Creates a diagnostic from the table; the code is checked by the type system. */
export function diag(
  code: DiagnosticCode,
  range: SourceRange,
  params: Readonly<Record<string, string | number>>,
  options: DiagOptions = {},
): Diagnostic {
  const def: MessageDef = messages[code];
  const hint = def.hint ? fill(def.hint, params).trim() : "";
  return {
    code,
    severity: options.severity ?? def.severity,
    message: fill(def.message, params),
    range,
    ...(hint ? { hint } : {}),
    ...(options.related ? { related: options.related } : {}),
    ...(options.fixes ? { fixes: options.fixes } : {}),
  };
}
