/**
 * Reading a JSON report back: the index `report.json`, the Space files it lists and their part
 * files, of the current schema or an older one (each upgraded to the current layout on load:
 * schema 1 was one file, schema 2 one access cell per remote secret, schema 3 the projected objects
 * in full in every plane). One reading procedure, driven synchronously ({@link reportFromFiles}) or
 * asynchronously ({@link loadReport}).
 */
import { compactPlane } from './report-projection.js';
import {
  REPORT_JSON,
  REPORT_SCHEMA_VERSION,
  REPORT_SCHEMA_VERSION_SINGLE_FILE,
  accessRows,
  joinReport,
  spacePartPath,
  spaceReportPath,
  withParts,
  type ReportAccess,
  type ReportData,
  type ReportIndex,
  type ReportPlanesFile,
  type ReportSpaceFile,
} from './report.js';

/** A Space's name: a DNS label (what the model allows), so its report's path stays inside the output directory. */
const SPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What the fix for an unreadable report says. */
const SYNTH_AGAIN = 'synthesize again (npx secrets-topology synth)';

/**
 * Parses a JSON report file, checking its schema version ({@link REPORT_SCHEMA_VERSION_SINGLE_FILE}
 * to {@link REPORT_SCHEMA_VERSION}): the index, a Space file, a part file, or a whole report of
 * schema 1. Access rows and plane projections are returned in the layout of the current schema.
 *
 * @param text the file's content
 * @param where where it comes from, for the error message
 */
export function parseReport(text: string, where: string): ReportIndex | ReportData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: say only that it is not JSON.
    throw new Error(`${where} is not valid JSON: ${SYNTH_AGAIN}.`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < REPORT_SCHEMA_VERSION_SINGLE_FILE ||
    version > REPORT_SCHEMA_VERSION
  ) {
    const shown = JSON.stringify(version) ?? 'missing';
    throw new Error(
      `${where} has report schema version ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}, but this version of secrets-topology understands versions ${REPORT_SCHEMA_VERSION_SINGLE_FILE} to ${REPORT_SCHEMA_VERSION}: synthesize both sides with the same version of the compiler.`,
    );
  }
  const report = data as ReportIndex | ReportData;
  const access: ReportAccess = { ...report.access, planes: accessRows(report.access?.planes ?? []) };
  return { ...report, access, planes: (report.planes ?? []).map(compactPlane) };
}

/**
 * The reading of a whole report, step by step: it yields the paths it needs next and is given
 * their texts. Returns undefined when there is no `report.json`.
 */
function* reading(where: string): Generator<readonly string[], ReportData | undefined, ReadonlyArray<string | undefined>> {
  const [text] = yield [REPORT_JSON];
  if (text === undefined) return undefined;
  const top = parseReport(text, `${where}/${REPORT_JSON}`);
  if (top.schemaVersion === REPORT_SCHEMA_VERSION_SINGLE_FILE) return top;
  const index = top as ReportIndex;
  const need = (path: string, t: string | undefined, listedIn: string): string => {
    if (t === undefined) throw new Error(`${where}/${path} is missing (listed in ${listedIn}): ${SYNTH_AGAIN}.`);
    return t;
  };
  // Only the files the layout names are read, never a path a report file makes up (`../..`).
  for (const s of index.spaces) {
    if (!SPACE_NAME.test(String(s.space)) || s.file !== spaceReportPath(s.space))
      throw new Error(
        `${where}/${REPORT_JSON} lists ${JSON.stringify(String(s.file)).slice(0, 80)} for Space ${JSON.stringify(String(s.space)).slice(0, 80)}, which is not where a Space's report is: ${SYNTH_AGAIN}.`,
      );
  }
  const spaceTexts = yield index.spaces.map((s) => s.file);
  const files = index.spaces.map((s, i) => {
    const f = parseReport(need(s.file, spaceTexts[i], REPORT_JSON), `${where}/${s.file}`) as unknown as ReportSpaceFile;
    if (f.schemaVersion !== index.schemaVersion || f.space !== s.space)
      throw new Error(`${where}/${s.file} is not the report of Space ${s.space}: ${SYNTH_AGAIN}.`);
    return f;
  });
  const partPaths = files.flatMap((f) =>
    (f.parts ?? []).map((p, i) => {
      if (p.file !== spacePartPath(f.space, i + 1))
        throw new Error(
          `${where}/${spaceReportPath(f.space)} lists part ${JSON.stringify(String(p.file)).slice(0, 80)}, which is not where its part ${i + 1} is: ${SYNTH_AGAIN}.`,
        );
      return { space: f, file: p.file };
    }),
  );
  const partTexts = partPaths.length > 0 ? yield partPaths.map((p) => p.file) : [];
  const parts = new Map<ReportSpaceFile, ReportPlanesFile[]>();
  for (const [i, { space, file }] of partPaths.entries()) {
    const p = parseReport(need(file, partTexts[i], spaceReportPath(space.space)), `${where}/${file}`) as unknown as ReportPlanesFile;
    if (p.schemaVersion !== index.schemaVersion || p.space !== space.space)
      throw new Error(`${where}/${file} is not a part of the report of Space ${space.space}: ${SYNTH_AGAIN}.`);
    const list = parts.get(space);
    if (list) list.push(p);
    else parts.set(space, [p]);
  }
  return joinReport(
    index,
    files.map((f) => withParts(f, parts.get(f) ?? [])),
  );
}

/**
 * Reads a whole report: the index `report.json`, the Space files it lists and their parts, or a
 * single `report.json` of schema {@link REPORT_SCHEMA_VERSION_SINGLE_FILE}. Undefined when there
 * is no `report.json`. The files of one step (all Space files, all parts) are asked for at once.
 *
 * @param read the content of a file, by its path relative to the output directory (undefined: none)
 * @param where where the report comes from, for error messages (e.g. `dist at main`)
 */
export async function loadReport(
  read: (path: string) => Promise<string | undefined> | string | undefined,
  where: string,
): Promise<ReportData | undefined> {
  const steps = reading(where);
  let step = steps.next([]);
  while (!step.done) step = steps.next(await Promise.all(step.value.map(async (p) => read(p))));
  return step.value;
}

/**
 * The whole report from the JSON files of an output directory, read synchronously (e.g. the files
 * of a compilation); `read` gets paths relative to the output directory. Throws when there is none.
 */
export function reportFromFiles(read: (path: string) => string | undefined): ReportData {
  const steps = reading('the output');
  let step = steps.next([]);
  while (!step.done) step = steps.next(step.value.map(read));
  if (step.value === undefined) throw new Error(`the output has no ${REPORT_JSON}`);
  return step.value;
}
