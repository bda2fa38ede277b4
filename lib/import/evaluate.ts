/**
 * Running a generated {@link Program} in process, against the same public API the printed file
 * imports: the import's own check that the file synthesizes, and to what. Only the closed lists of
 * classes and factories of `program.ts` can be reached.
 */
import * as api from '../index.js';
import { FACTORIES, type ClassName, type Expr, type FactoryOwner, type Program, type Statement } from './program.js';

type AnyClass = new (...args: never[]) => unknown;

const CLASSES: Readonly<Record<ClassName, AnyClass>> = {
  Environment: api.Environment,
  Space: api.Space,
  Group: api.Group,
  ControlPlane: api.ControlPlane,
  SecretStore: api.SecretStore,
  SharedSecret: api.SharedSecret,
  EsoCluster: api.EsoCluster,
  EsoSecretStore: api.EsoSecretStore,
  EsoExternalSecret: api.EsoExternalSecret,
  EsoPushSecret: api.EsoPushSecret,
  AwsSecretsManager: api.AwsSecretsManager,
  AwsParameterStore: api.AwsParameterStore,
  AzureKeyVault: api.AzureKeyVault,
  GcpSecretManager: api.GcpSecretManager,
};

const OWNERS: Readonly<Record<FactoryOwner, object>> = {
  Planes: api.Planes,
  Namespaces: api.Namespaces,
  StaticCredentials: api.StaticCredentials,
  SpaceIdentity: api.SpaceIdentity,
  StoreIdentity: api.StoreIdentity,
  Guardrails: api.Guardrails,
};

/** Declares the program's topology below `app`; returns each statement's value. */
export function evaluateProgram(program: Program, app: api.TopologyApp): Map<Statement, unknown> {
  const values = new Map<Statement, unknown>([[program.app, app]]);
  const run = (e: Expr): unknown => {
    switch (e.k) {
      case 'lit':
        return e.v;
      case 'arr':
        return e.items.map(run);
      case 'obj': {
        const o: Record<string, unknown> = {};
        for (const [k, v] of e.entries)
          Object.defineProperty(o, k, { value: run(v), enumerable: true, writable: true, configurable: true });
        return o;
      }
      case 'ref':
        if (!values.has(e.to)) throw new Error(`import: statement "${e.to.name}" is used before it is declared`);
        return values.get(e.to);
      case 'new':
        return Reflect.construct(CLASSES[e.cls], e.args.map(run));
      case 'call': {
        const allowed: readonly string[] = FACTORIES[e.on];
        if (!allowed.includes(e.fn)) throw new Error(`import: ${e.on}.${e.fn} is not a factory the import may call`);
        const owner = OWNERS[e.on] as Record<string, (...args: unknown[]) => unknown>;
        return Reflect.apply(owner[e.fn], owner, e.args.map(run));
      }
    }
  };
  for (const s of program.statements) values.set(s, run(s.expr));
  return values;
}
