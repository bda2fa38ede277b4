/**
 * The review as a pull-request comment: at most 60,000 characters at any size, the counts first,
 * every cross-environment change in full while they fit, the rest folded and filled while there is
 * room, and a note of what only the full review has. The 30 planes × 20 secrets identity change
 * (one IRSA role instead of a role per environment) is the case of the issue: 136 KB before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHANGE_SECTIONS,
  TopologyApp,
  TopologyError,
  compareReports,
  renderReview,
  reportFromFiles,
  type ReportChange,
  type ReportData,
  type ReviewResult,
} from '../lib/index.js';
import { REVIEW_COMMENT_MAX_CHARS, renderRefusalComment, renderReviewComment } from '../lib/report/report-diff.js';
import { flattenAccess } from '../lib/report/report.js';
import { sharedIdentityTopology, type SharedIdentityOptions } from './fixtures/review-topologies.js';
import { fcParams } from './fuzz-support.js';

function report(o: SharedIdentityOptions): ReportData {
  const app = new TopologyApp({ outdir: 'unused-never-written' });
  sharedIdentityTopology(app, o);
  const files = app.compile().files;
  return reportFromFiles((p) => files.get(p));
}

/** A plane name as a whole word (dev-1, not dev-10). */
const word = (name: string): RegExp => new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);

describe('the 30 planes × 20 secrets identity change', () => {
  const base = report({ planes: 30, secrets: 20, identity: 'pod-identity' });
  const head = report({ planes: 30, secrets: 20, identity: 'irsa' });
  const result = compareReports(base, head);
  const comment = renderReviewComment(result, 'main (abc1234)');

  it('fits in a comment with every cross-environment change in it, plane by plane', () => {
    expect(comment.length).toBeLessThanOrEqual(REVIEW_COMMENT_MAX_CHARS);
    const cross = flattenAccess(head).filter((e) => e.crossEnvironment);
    expect(cross.length).toBe(400);
    const section = comment.split('### Cross-environment access\n')[1]?.split('\n<details>')[0] ?? '';
    const lines = section.split('\n').filter((l) => l.startsWith('- ⚠ '));
    for (const e of cross) {
      const line = lines.find(
        (l) => l.includes(` can now read ${e.remote.resource} of environment `) && word(e.planeName).test(l.split(' can now read ')[0]),
      );
      expect(line, `${e.planeName} ${e.remote.resource}`).toBeDefined();
    }
    expect(comment).not.toContain('are only in');
    expect(comment).toContain('| Cross-environment access | 400 | 0 | 0 |');
  });

  it('folds the other sections, and the full review has every sentence', () => {
    expect(comment).toMatch(/<details>\n<summary>Read access: \d+ added and \d+ removed<\/summary>\n/);
    const full = renderReview(result, 'main (abc1234)');
    for (const c of result.changes) expect(full).toContain(`${c.sentence}\n`);
  });
});

describe('property: the comment fits at any size', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', ' ', '/', '⚠', 'é', '1'), minLength: 1, maxLength: 400 });
  const change: fc.Arbitrary<ReportChange> = fc
    .record({
      section: fc.constantFrom(...CHANGE_SECTIONS),
      direction: fc.constantFrom('added' as const, 'removed' as const, 'changed' as const),
      sentence: fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: fc.string({ minLength: 5000, maxLength: 9000 }) }),
      count: fc.integer({ min: 1, max: 500 }),
    })
    .map((c) => ({
      ...c,
      brief: c.sentence.slice(0, 300),
      addsCrossEnvironment: c.section === 'cross-environment' && c.direction === 'added',
    }));
  const result: fc.Arbitrary<ReviewResult> = fc.array(change, { maxLength: 2500 }).map((changes) => ({
    changes: [...changes].sort((a, b) => CHANGE_SECTIONS.indexOf(a.section) - CHANGE_SECTIONS.indexOf(b.section)),
    addsCrossEnvironment: changes.some((c) => c.addsCrossEnvironment),
    hasBase: true,
    counts: { after: { delivered: 1, readable: 1, crossEnvironment: 0 } },
  }));

  it('is never longer than the limit, keeps the counts, and accounts for every change it leaves out', () => {
    fc.assert(
      fc.property(result, fc.integer({ min: 3000, max: 60_000 }), (r, maxChars) => {
        const comment = renderReviewComment(r, 'main', { maxChars });
        expect(comment.length).toBeLessThanOrEqual(maxChars);
        for (const section of new Set(r.changes.map((c) => c.section)))
          expect(comment).toContain(
            `| ${{ 'cross-environment': 'Cross-environment access', delivery: 'Deliveries', access: 'Read access', warnings: 'Warnings', 'opt-outs': 'Opt-outs' }[section]} |`,
          );
        const shown = comment.split('\n').filter((l) => /^- (?!_… and)/.test(l)).length;
        const more = [...comment.matchAll(/^- _… and (\d+) more, in /gm)].reduce((n, m) => n + Number(m[1]), 0);
        expect(shown + more).toBe(r.changes.length);
        const note = /^_(\d+) changes? (?:is|are) only in /m.exec(comment);
        expect(Number(note?.[1] ?? 0)).toBe(more);
        // Cross-environment changes come first and are shown whole while they fit.
        const crossLines = comment.split('### Cross-environment access\n')[1]?.split('\n<details>')[0] ?? '';
        for (const c of r.changes.filter((x) => x.section === 'cross-environment').slice(0, 3))
          if (more === 0 && c.sentence.length < 3000) expect(crossLines).toContain(c.sentence.replace(/[\r\n\u2028\u2029]+/g, ' ').trim());
      }),
      { ...fcParams, numRuns: Math.max(5, Math.ceil(fcParams.numRuns / 2)) },
    );
  });
});

describe('the comment of a change synthesis refused for what it grants', () => {
  const finding = (i: number): string =>
    `  - aws/g/dev-${i}: guardrail "cross-environment": plane "dev-${i}" (environment dev) can read 1 remote secret of environment prod`;

  it('shows the findings whole in a code block when they fit', () => {
    const c = renderRefusalComment(`3 problems in the secrets topology; nothing was written:\n${[1, 2, 3].map(finding).join('\n')}\n`);
    expect(c).toMatch(/^## Secrets topology review\n\n> \*\*This change gives read access the access analysis refuses\*\*/);
    expect(c).toContain(`\`\`\`text\n3 problems in the secrets topology; nothing was written:\n${finding(1)}\n`);
    expect(c).not.toContain('more line');
  });

  it('property: at most the limit at any size, counting what it leaves out, whatever the lines hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 200 }), fc.constant('`'.repeat(5000)), fc.constant('\u001b[2J'.repeat(900))), {
          maxLength: 200,
        }),
        fc.integer({ min: 2_000, max: 60_000 }),
        (lines, maxChars) => {
          const c = renderRefusalComment(lines.join('\n'), { maxChars });
          expect(c.length).toBeLessThanOrEqual(maxChars);
          // One block: no line inside starts with as many backticks as its fence.
          const fence = /^(`{3,})text$/m.exec(c)?.[1] ?? '';
          expect(c.split('\n').filter((l) => l.startsWith(fence))).toHaveLength(2);
        },
      ),
      fcParams,
    );
    const huge = renderRefusalComment(Array.from({ length: 5_000 }, (_, i) => finding(i)).join('\n'));
    expect(huge.length).toBeLessThanOrEqual(REVIEW_COMMENT_MAX_CHARS);
    expect(huge).toMatch(/_… and \d+ more lines, in the CI log\._\n$/);
  });
});

describe('TopologyError.accessOnly', () => {
  it('holds when every problem is a finding of the access analysis, and not for none or a mix', () => {
    expect(new TopologyError([{ path: 'a', message: 'x', access: true }]).accessOnly).toBe(true);
    expect(new TopologyError([]).accessOnly).toBe(false);
    expect(
      new TopologyError([
        { path: 'a', message: 'x', access: true },
        { path: 'b', message: 'y' },
      ]).accessOnly,
    ).toBe(false);
  });
});
