import { SHARED_SECRETS_SERVICE_ACCOUNT } from '../model/constants.js';
import { checkDnsSubdomain, quote } from '../model/validation.js';
import { typedValue, typeProblemsOf } from '../model/typed.js';
import { AWS_ROLE_NAME } from '../private/cloud-ids.js';
import { StoreIrsaPropsSchema } from './props.js';

/** Props of {@link StoreIdentity.awsIrsa}. */
export interface StoreIrsaProps {
  /**
   * Name of the Kubernetes service account the store authenticates as (`auth.jwt.serviceAccountRef.name`).
   * On a Space it lives in every host namespace of the planes the store is projected into (the
   * provider resolves it there), annotated `eks.amazonaws.com/role-arn` with the store's role.
   */
  readonly serviceAccount: string;
  /**
   * Name of the store's IAM role (generated: trust and permission policy). Stores that give the same
   * name share one role, which the access analysis treats as one principal.
   * @default `<roleNamePrefix><space>-<group>-<store>-shared-secrets`
   */
  readonly roleName?: string;
}

/**
 * A store's own workload identity, instead of the Space's shared one: ESO's per-team IRSA role.
 * The store carries `auth.jwt.serviceAccountRef` naming its service account, and gets an IAM role of
 * its own, trusted only by that service account in the host namespaces of the planes it is
 * projected into, with the permissions of that store's secrets only.
 */
export class StoreIdentity {
  /**
   * IRSA through a service account of the store's own (`auth.jwt.serviceAccountRef`). Needs the
   * Space's identity to be `SpaceIdentity.awsIrsa` (its OIDC provider and account).
   */
  public static awsIrsa(props: StoreIrsaProps): StoreIdentity {
    return typedValue(
      StoreIrsaPropsSchema,
      props,
      { serviceAccount: '' },
      (p: StoreIrsaProps) => new StoreIdentity(p.serviceAccount, p.roleName),
    );
  }

  /** The mode: IRSA with the store's own service account. */
  public readonly mode = 'aws-irsa' as const;

  private constructor(
    /** Service account the store authenticates as. */
    public readonly serviceAccount: string,
    /** Name of its IAM role, when given. */
    public readonly roleName: string | undefined,
  ) {}

  /** Problems with the settings. */
  public check(): string[] {
    const typeProblems = typeProblemsOf(this);
    if (typeProblems.length > 0) return [...typeProblems];
    const out: string[] = [];
    const sa = checkDnsSubdomain(this.serviceAccount, 'identity serviceAccount');
    if (sa) out.push(sa);
    else if (this.serviceAccount === SHARED_SECRETS_SERVICE_ACCOUNT)
      out.push(
        `identity serviceAccount "${SHARED_SECRETS_SERVICE_ACCOUNT}" is the shared-secrets controller's own service account, which carries the Space's role: name a service account of the store's own (e.g. "team-a-secrets"), or remove identity to use the Space's role.`,
      );
    if (this.roleName !== undefined && !AWS_ROLE_NAME.test(this.roleName))
      out.push(`identity roleName ${quote(this.roleName)} is not an IAM role name: use 1-64 of letters, digits and +=,.@_-.`);
    return out;
  }
}
