/**
 * Access models of AWS Secrets Manager and Parameter Store. A remote key is a name or an ARN; both
 * denote one resource in (partition, region, account). A Secrets Manager ARN ending in `-` and six
 * characters may be a full ARN (the six characters are the random suffix) or a partial ARN of a
 * secret whose name ends so: both names are kept. An unknown account (no `accountId` on the store
 * and no AWS identity) may be any account the topology names.
 */
import { AWS_SECRET_ARN_SUFFIX, secretArnGrant, secretNamesOfArnTail } from '../private/cloud-ids.js';
import { regexpLiteralPrefix, regexpMatches } from '../private/regexp.js';
import { PROBE, findText, type AccessModelContext, type BackendAccessModel, type FindQuery, type NameSpace } from './backend.js';

/** What the AWS access models read from a provider. */
export interface AwsBackendProps {
  readonly region: string;
  readonly accountId?: string;
  readonly description: string;
}

/** A stand-in for the 6-character random suffix of Secrets Manager ARNs. */
const SM_SUFFIX = 'Ab12Cd';
/** Characters of Secrets Manager names and Parameter Store paths that a regular expression may spell literally. */
const AWS_NAME_CHAR = /^[A-Za-z0-9/_+=.@-]$/;
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;

/** Partition, region and account of a store's secrets; `*` when the account is not known. */
function where(p: AwsBackendProps, ctx: AccessModelContext): { partition: string; region: string; account: string } {
  return { partition: ctx.awsPartition ?? 'aws', region: p.region, account: p.accountId ?? ctx.awsAccountId ?? '*' };
}

/** Concrete accounts that stand for `account` when grants are matched: itself, or every account the topology names. */
function sampleAccounts(account: string, ctx: AccessModelContext): string[] {
  if (account !== '*') return [account];
  return [...new Set([...(ctx.awsAccounts ?? []), '000000000000'])].sort();
}

/** Parses `arn:partition:service:region:account:resource`. */
function parseArn(arn: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

/** The access model of a Secrets Manager store. */
export function secretsManagerModel(p: AwsBackendProps, ctx: AccessModelContext): BackendAccessModel {
  const home = where(p, ctx);
  const spaceOf = (w: { partition: string; region: string; account: string }): NameSpace => ({
    service: 'aws-secretsmanager',
    parts: [w.partition, w.region, w.account],
  });
  const arnPrefix = (w: { partition: string; region: string }, account: string): string =>
    `arn:${w.partition}:secretsmanager:${w.region}:${account}:secret:`;
  /** Every name a concrete ARN of the home space may denote, or [] when it is elsewhere. */
  const namesOfConcrete = (r: string): string[] => {
    const a = parseArn(r);
    if (!a || a.service !== 'secretsmanager' || a.partition !== home.partition || a.region !== home.region) return [];
    if (home.account !== '*' && a.account !== home.account) return [];
    if (!a.resource.startsWith('secret:')) return [];
    return secretNamesOfArnTail(a.resource.slice('secret:'.length));
  };
  return {
    cloud: 'aws',
    description: p.description,
    resolveKey(key) {
      const arn = key.startsWith('arn:') ? parseArn(key) : undefined;
      if (arn && arn.service === 'secretsmanager' && arn.resource.startsWith('secret:')) {
        const w = { partition: arn.partition, region: arn.region, account: arn.account || '*' };
        const names = secretNamesOfArnTail(arn.resource.slice('secret:'.length));
        const samples = names.flatMap((n) => sampleAccounts(w.account, ctx).map((acc) => `${arnPrefix(w, acc)}${n}-${SM_SUFFIX}`));
        if (AWS_SECRET_ARN_SUFFIX.test(key)) samples.unshift(key);
        return {
          kind: 'key',
          ref: key,
          resource: secretArnGrant(key),
          samples: [...new Set(samples)],
          needs: (r) => r === key || r.startsWith(`${key}-`) || samples.includes(r),
          space: spaceOf(w),
          names,
        };
      }
      return {
        kind: 'key',
        ref: key,
        resource: `${arnPrefix(home, home.account)}${key}-??????`,
        samples: sampleAccounts(home.account, ctx).map((acc) => `${arnPrefix(home, acc)}${key}-${SM_SUFFIX}`),
        needs: (r) => namesOfConcrete(r).includes(key),
        space: spaceOf(home),
        names: [key],
      };
    },
    resolveFind(f) {
      const prefix = findPrefix(f);
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${arnPrefix(home, home.account)}${prefix}*`,
        samples: sampleAccounts(home.account, ctx).map((acc) => `${arnPrefix(home, acc)}${prefix}${PROBE}-${SM_SUFFIX}`),
        needs: (r) =>
          namesOfConcrete(r).some((name) => (f.path === undefined || name.startsWith(f.path)) && regexpMatches(f.nameRegexp, name)),
        space: spaceOf(home),
        prefix,
      };
    },
  };
}

/** The text every name a find can fetch starts with: its path, and the literal start of its name pattern, whichever is longer. */
function findPrefix(f: FindQuery): string {
  const path = typeof f.path === 'string' ? f.path : '';
  const lit = typeof f.nameRegexp === 'string' ? regexpLiteralPrefix(f.nameRegexp, AWS_NAME_CHAR) : '';
  return lit.startsWith(path) ? lit : path;
}

/** Parameter names with a leading `/` (a name without one is the same parameter). */
function abs(name: string): string {
  return name.startsWith('/') ? name : `/${name}`;
}

/** The access model of a Parameter Store store. */
export function parameterStoreModel(p: AwsBackendProps, ctx: AccessModelContext): BackendAccessModel {
  const home = where(p, ctx);
  const arnPrefix = (w: { partition: string; region: string }, account: string): string =>
    `arn:${w.partition}:ssm:${w.region}:${account}:parameter`;
  const space = (w: { partition: string; region: string; account: string }): NameSpace => ({
    service: 'aws-ssm',
    parts: [w.partition, w.region, w.account],
  });
  const nameOfConcrete = (r: string): string | undefined => {
    const a = parseArn(r);
    if (!a || a.service !== 'ssm' || a.partition !== home.partition || a.region !== home.region) return undefined;
    if (home.account !== '*' && a.account !== home.account) return undefined;
    return a.resource.startsWith('parameter') ? abs(a.resource.slice('parameter'.length).replace(/^\/?/, '/')) : undefined;
  };
  return {
    cloud: 'aws',
    description: p.description,
    resolveKey(key) {
      const arn = key.startsWith('arn:') ? parseArn(key) : undefined;
      if (arn && arn.service === 'ssm' && arn.resource.startsWith('parameter')) {
        const w = { partition: arn.partition, region: arn.region, account: arn.account || '*' };
        const name = abs(arn.resource.slice('parameter'.length).replace(/^\/?/, '/'));
        const samples = sampleAccounts(w.account, ctx).map((acc) => `${arnPrefix(w, acc)}${name}`);
        return {
          kind: 'key',
          ref: key,
          resource: key,
          samples,
          needs: (r) => r === key || samples.includes(r),
          space: space(w),
          names: [name],
        };
      }
      const name = abs(key);
      return {
        kind: 'key',
        ref: key,
        resource: `${arnPrefix(home, home.account)}${name}`,
        samples: sampleAccounts(home.account, ctx).map((acc) => `${arnPrefix(home, acc)}${name}`),
        needs: (r) => nameOfConcrete(r) === name,
        space: space(home),
        names: [name],
      };
    },
    resolveFind(f) {
      const path = typeof f.path === 'string' ? abs(f.path) : abs(findPrefix(f));
      const dir = f.path !== undefined ? (path.endsWith('/') ? path : `${path}/`) : path;
      return {
        kind: 'find',
        ref: findText(f),
        resource: `${arnPrefix(home, home.account)}${dir}*`,
        samples: sampleAccounts(home.account, ctx).map((acc) => `${arnPrefix(home, acc)}${dir}${PROBE}`),
        needs: (r) => {
          const name = nameOfConcrete(r);
          if (name === undefined) return false;
          if (f.path !== undefined && !(name.startsWith(dir) || name === dir.slice(0, -1))) return false;
          return regexpMatches(f.nameRegexp, name);
        },
        space: space(home),
        prefix: f.path !== undefined ? dir.slice(0, -1) : dir,
      };
    },
  };
}
