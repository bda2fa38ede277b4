/** Line width of `report.json`: values that fit are printed on one line. */
export declare const REPORT_JSON_WIDTH = 320;
/**
 * JSON with sorted keys, two-space indent and every value that fits in `width` columns on one line
 * (so each access cell, store or grant is one line: small and diff-friendly). Deterministic.
 */
export declare function formatJson(value: unknown, width?: number): string;

/**
 * {@link formatJson}, handing the text on in pieces of about 64 KiB as it is made, so that a large
 * file is written without its whole text (or a list of its pieces) in memory.
 */
export declare function formatJsonChunks(value: unknown, emit: (chunk: string) => void, width?: number): void;
