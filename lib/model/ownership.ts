/**
 * Ownership by intent: which remote secrets an environment owns, declared per backend. The access
 * analysis uses declarations before anything else; without one, a remote secret belongs to the
 * environments of the planes its stores declare (never to where it happens to be delivered).
 */
import type { NamePattern } from './resource-names.js';
import { secretNamesOfArnTail } from '../private/cloud-ids.js';
import {
  KeyVaultOwnershipPropsSchema,
  ParameterStoreOwnershipPropsSchema,
  SecretManagerOwnershipPropsSchema,
  SecretsManagerOwnershipPropsSchema,
} from './props.js';
import { typedValue, typeProblemsOf } from './typed.js';
import { quoteValue } from '../private/terminal.js';

/** What a declaration needs to name its patterns: the canonical name of a GCP project given by id or number. */
export interface OwnershipContext {
  readonly gcpProject: (idOrNumber: string) => string;
}

/** Secrets Manager secrets an environment owns. */
export interface SecretsManagerOwnershipProps {
  /** Name prefixes, e.g. `prod/`. @default none */
  readonly prefixes?: readonly string[];
  /** Exact names. @default none */
  readonly names?: readonly string[];
  /** Secret ARNs (with or without the 6-character suffix). @default none */
  readonly arns?: readonly string[];
  /** Region of the secrets. @default any region */
  readonly region?: string;
  /** Account of the secrets (12 digits). @default any account */
  readonly accountId?: string;
  /** AWS partition. @default any partition */
  readonly partition?: string;
}

/** Parameter Store parameters an environment owns. */
export interface ParameterStoreOwnershipProps {
  /** Path prefixes, e.g. `/prod/` (a leading `/` is implied). */
  readonly paths: readonly string[];
  /** Region of the parameters. @default any region */
  readonly region?: string;
  /** Account of the parameters (12 digits). @default any account */
  readonly accountId?: string;
  /** AWS partition. @default any partition */
  readonly partition?: string;
}

/** Key Vault objects an environment owns. */
export interface KeyVaultOwnershipProps {
  /** Whole vaults, by name, URL or resource id. @default none */
  readonly vaults?: readonly string[];
  /** Object name prefixes in any vault (secrets, keys and certificates). @default none */
  readonly names?: readonly string[];
}

/** GCP Secret Manager secrets an environment owns. */
export interface SecretManagerOwnershipProps {
  /** Whole projects, by id or number. @default none */
  readonly projects?: readonly string[];
  /** Secret id prefixes in any project. @default none */
  readonly secretIds?: readonly string[];
}

type Patterns = (ctx: OwnershipContext) => NamePattern[];

/**
 * Remote secrets an environment owns, on one backend (a value class: create it with the static
 * methods and pass it to `Environment`'s `owns`).
 *
 * ```ts
 * new Environment(app, 'prod', { owns: [SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] })] });
 * ```
 */
export class SecretOwnership {
  /** Secrets Manager secrets by name prefix, name or ARN. */
  public static awsSecretsManager(props: SecretsManagerOwnershipProps): SecretOwnership {
    return typedValue(SecretsManagerOwnershipPropsSchema, props, {}, (p: SecretsManagerOwnershipProps) =>
      SecretOwnership.secretsManager(p),
    );
  }

  /** Parameter Store parameters by path prefix. */
  public static awsParameterStore(props: ParameterStoreOwnershipProps): SecretOwnership {
    return typedValue(ParameterStoreOwnershipPropsSchema, props, { paths: [] }, (p: ParameterStoreOwnershipProps) =>
      SecretOwnership.parameterStore(p),
    );
  }

  /** Key Vault objects: whole vaults, or object name prefixes in any vault. */
  public static azureKeyVault(props: KeyVaultOwnershipProps): SecretOwnership {
    return typedValue(KeyVaultOwnershipPropsSchema, props, {}, (p: KeyVaultOwnershipProps) => SecretOwnership.keyVault(p));
  }

  /** GCP secrets: whole projects, or secret id prefixes in any project. */
  public static gcpSecretManager(props: SecretManagerOwnershipProps): SecretOwnership {
    return typedValue(SecretManagerOwnershipPropsSchema, props, {}, (p: SecretManagerOwnershipProps) => SecretOwnership.secretManager(p));
  }

  private static secretsManager(props: SecretsManagerOwnershipProps): SecretOwnership {
    const text = [...(props.prefixes ?? []).map((p) => `${p}*`), ...(props.names ?? []), ...(props.arns ?? [])];
    return new SecretOwnership(
      `Secrets Manager ${text.join(', ')}`,
      (ctx) => {
        const parts = [props.partition ?? '*', props.region ?? '*', props.accountId ?? '*'];
        const out: NamePattern[] = [
          { space: { service: 'aws-secretsmanager', parts }, prefixes: [...(props.prefixes ?? [])], names: [...(props.names ?? [])] },
        ];
        for (const arn of props.arns ?? []) {
          const m = /^arn:([^:]*):secretsmanager:([^:]*):([^:]*):secret:(.+)$/.exec(arn);
          if (!m) continue;
          out.push({ space: { service: 'aws-secretsmanager', parts: [m[1], m[2], m[3] || '*'] }, names: secretNamesOfArnTail(m[4]) });
        }
        void ctx;
        return out;
      },
      () => [
        ...checkList('prefixes', props.prefixes),
        ...checkList('names', props.names),
        ...checkList('arns', props.arns).concat(
          (props.arns ?? [])
            .filter((a) => typeof a === 'string' && !/^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+$/.test(a))
            .map(
              (a) =>
                `arns: ${quoteValue(a)} is not a Secrets Manager secret ARN: use "arn:aws:secretsmanager:<region>:<account>:secret:<name>".`,
            ),
        ),
        ...(text.length === 0 ? ['SecretOwnership.awsSecretsManager needs at least one of prefixes, names or arns.'] : []),
      ],
    );
  }

  private static parameterStore(props: ParameterStoreOwnershipProps): SecretOwnership {
    const paths = (props.paths ?? []).map((p) => (typeof p === 'string' && !p.startsWith('/') ? `/${p}` : p));
    return new SecretOwnership(
      `Parameter Store ${paths.map((p) => `${p}*`).join(', ')}`,
      () => [
        { space: { service: 'aws-ssm', parts: [props.partition ?? '*', props.region ?? '*', props.accountId ?? '*'] }, prefixes: paths },
      ],
      () => [
        ...checkList('paths', props.paths),
        ...(paths.length === 0 ? ['SecretOwnership.awsParameterStore needs at least one path.'] : []),
      ],
    );
  }

  private static keyVault(props: KeyVaultOwnershipProps): SecretOwnership {
    const vaults = (props.vaults ?? []).map(vaultName);
    return new SecretOwnership(
      `Key Vault ${[...vaults, ...(props.names ?? []).map((n) => `*/${n}*`)].join(', ')}`,
      () => [
        ...vaults.map((v): NamePattern => ({ space: { service: 'azure-keyvault', parts: [v] }, prefixes: [''] })),
        ...(props.names?.length
          ? [
              {
                space: { service: 'azure-keyvault' as const, parts: ['*'] },
                prefixes: props.names.flatMap((n) => ['secrets', 'keys', 'certificates'].map((k) => `${k}/${n.toLowerCase()}`)),
              },
            ]
          : []),
      ],
      () => [
        ...checkList('vaults', props.vaults),
        ...checkList('names', props.names),
        ...(vaults.length + (props.names?.length ?? 0) === 0
          ? ['SecretOwnership.azureKeyVault needs at least one of vaults or names.']
          : []),
      ],
    );
  }

  private static secretManager(props: SecretManagerOwnershipProps): SecretOwnership {
    return new SecretOwnership(
      `Secret Manager ${[...(props.projects ?? []).map((p) => `projects/${p}`), ...(props.secretIds ?? []).map((s) => `*/${s}*`)].join(', ')}`,
      (ctx) => [
        ...(props.projects ?? []).map((p): NamePattern => ({
          space: { service: 'gcp-secretmanager', parts: [ctx.gcpProject(p), '*'] },
          prefixes: [''],
        })),
        ...(props.secretIds?.length
          ? [{ space: { service: 'gcp-secretmanager' as const, parts: ['*', '*'] }, prefixes: [...props.secretIds] }]
          : []),
      ],
      () => [
        ...checkList('projects', props.projects),
        ...checkList('secretIds', props.secretIds),
        ...((props.projects?.length ?? 0) + (props.secretIds?.length ?? 0) === 0
          ? ['SecretOwnership.gcpSecretManager needs at least one of projects or secretIds.']
          : []),
      ],
    );
  }

  private constructor(
    /** What it claims, for messages and the report, e.g. `Secrets Manager prod/*`. */
    public readonly description: string,
    private readonly toPatterns: Patterns,
    private readonly problems: () => string[],
    /**
     * Environments the declaring environment shares these secrets with (names; `*`: every
     * environment): planes and ESO clusters of those environments may receive and read them
     * without a cross-environment finding, and the report records them as shared.
     * @default undefined: not shared
     */
    public readonly sharing?: readonly string[],
  ) {}

  /**
   * The same secrets, owned by the declaring environment and shared with `environments` (none
   * given: every environment) — e.g. a CA bundle every environment reads:
   *
   * ```ts
   * new Environment(app, 'prod', { production: true, owns: [
   *   SecretOwnership.awsSecretsManager({ prefixes: ['prod/'] }),
   *   SecretOwnership.awsSecretsManager({ names: ['shared/ca-bundle'] }).sharedWith(),
   * ] });
   * ```
   *
   * Readers in those environments are not cross-environment; the report lists the secrets as
   * shared. A non-production environment cannot share what a production environment owns (a
   * problem of the access analysis).
   *
   * @param environments the environments that may read them (Environment constructs)
   */
  public sharedWith(...environments: ReadonlyArray<{ readonly name: string }>): SecretOwnership {
    const names = environments.map((e) => (e && typeof e === 'object' && typeof e.name === 'string' ? e.name : undefined));
    return new SecretOwnership(
      `${this.description} (shared with ${names.length === 0 ? 'every environment' : names.map((n) => n ?? '?').join(', ')})`,
      this.toPatterns,
      () => [
        ...this.problems(),
        ...names.flatMap((n, i) =>
          n === undefined
            ? [`sharedWith: argument ${i + 1} (${quoteValue(environments[i])}) is not an Environment: pass the construct.`]
            : [],
        ),
      ],
      names.length === 0 ? ['*'] : names.filter((n): n is string => n !== undefined).sort(),
    );
  }

  /** The name patterns it claims. */
  public patterns(ctx: OwnershipContext): NamePattern[] {
    return this.toPatterns(ctx);
  }

  /** Problems with its props. */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    return typeProblems.length > 0 ? [...typeProblems] : this.problems();
  }
}

/** A vault's name from its name, URL or resource id (lower case). */
function vaultName(v: string): string {
  if (typeof v !== 'string') return '';
  const url = /^https:\/\/([^./]+)\.vault\./i.exec(v);
  if (url) return url[1].toLowerCase();
  const id = /\/vaults\/([^/]+)\/?$/i.exec(v);
  return (id ? id[1] : v).toLowerCase();
}

function checkList(what: string, list: readonly unknown[] | undefined): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return [`${what}: expected a list of strings, received ${quoteValue(list)}.`];
  return list.flatMap((x, i) =>
    typeof x === 'string' && x.trim() !== '' ? [] : [`${what}[${i}]: expected a non-empty string, received ${quoteValue(x)}.`],
  );
}
