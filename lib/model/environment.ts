import { Construct } from 'constructs';
import { findAll } from './find.js';
import { SecretOwnership } from './ownership.js';
import { checkDnsLabel, checkGoDuration, checkLabels } from './validation.js';
import { EnvironmentPropsSchema } from './props.js';
import { checkConstructArgs, constructArgs, typedProps } from './typed.js';

/** Props of an {@link Environment}. */
export interface EnvironmentProps {
  /**
   * Name of the environment (dev, staging, prod, ...). Used as label value and in file names.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Labels every control plane of this environment carries; stores and secrets that reach the
   * environment select planes by exactly these labels.
   * @default { environment: <name> }
   */
  readonly labels?: Record<string, string>;
  /**
   * Refresh interval (Go duration) for secrets whose planes all belong to this environment and
   * that do not set their own.
   * @default "1h"
   */
  readonly refreshInterval?: string;
  /**
   * Whether this is a production environment. Stricter guardrails apply to production.
   * @default false
   */
  readonly production?: boolean;
  /**
   * Remote secrets this environment owns, per backend (`SecretOwnership.awsSecretsManager({ prefixes:
   * ['prod/'] })`, ...). The access analysis treats a remote secret a declaration covers as this
   * environment's wherever it is delivered; without a declaration, a remote secret belongs to the
   * environments of the planes its stores declare.
   * @default none
   */
  readonly owns?: readonly SecretOwnership[];
}

/**
 * A deployment environment (dev, staging, prod, ...). It partitions control planes by a label,
 * and stores, secrets and identities are kept apart per environment.
 */
export class Environment extends Construct {
  /** Returns all environments declared below `scope`, in construct-tree order. */
  public static all(scope: Construct): Environment[] {
    return findAll(scope, Environment);
  }

  /** Environment name. */
  public readonly name: string;
  /** Labels that identify this environment's control planes. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Default refresh interval of secrets in this environment. */
  public readonly refreshInterval: string;
  /** Whether this is a production environment. */
  public readonly production: boolean;
  /** Remote secrets it declares it owns. */
  public readonly owns: readonly SecretOwnership[];

  public constructor(scope: Construct, id: string, props: EnvironmentProps = {}) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<EnvironmentProps>(this, EnvironmentPropsSchema, props, {});
    this.name = props.name ?? this.node.id;
    this.labels = { ...(props.labels ?? { environment: this.name }) };
    this.refreshInterval = props.refreshInterval ?? '1h';
    this.production = props.production ?? false;
    this.owns = [...(props.owns ?? [])];
    this.node.addValidation({
      validate: () => {
        const out: string[] = [];
        const name = checkDnsLabel(this.name, 'environment name');
        if (name) out.push(name);
        if (Object.keys(this.labels).length === 0) {
          out.push(
            `environment "${this.name}" has no labels: give it at least one label (e.g. { environment: "${this.name}" }) so its control planes can be selected.`,
          );
        }
        out.push(...checkLabels({ ...this.labels }, 'environment labels'));
        const d = checkGoDuration(this.refreshInterval);
        if (d) out.push(`refreshInterval: ${d}`);
        this.owns.forEach((o, i) => out.push(...o.check().map((m) => `owns[${i}]: ${m}`)));
        return out;
      },
    });
  }
}
