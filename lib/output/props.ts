/**
 * The declarative runtime schemas of the app's props (where and how the output is written) and of
 * the file props (see `model/props.ts`): checked by each construct before it reads its props.
 * Types only; the path's rules (normalised, inside the output directory, no collision) are
 * checked afterwards.
 */
import { expecting, z } from '../private/props.js';
import { OUTPUT_LAYOUTS } from './layout.js';

const synthesizerSchema = expecting(
  z.object({ name: z.string(), stage: z.number(), emit: z.custom<unknown>((v) => typeof v === 'function') }),
  'a Synthesizer { name, stage, emit(ctx, out) }',
);
/** The runtime schema of `TopologyAppProps`. */
export const TopologyAppPropsSchema = z.strictObject({
  outdir: z.string().optional(),
  layout: z.enum(OUTPUT_LAYOUTS).optional(),
  synthesizers: expecting(z.array(synthesizerSchema), 'a list of Synthesizers').optional(),
});

const path = z.string();

export const FileArtifactPropsSchema = z.strictObject({ path });
/** `content` is any document (plain data, checked when it is rendered); it must be given. */
export const DataFilePropsSchema = z.strictObject({ path, content: z.unknown() });
export const YamlFilePropsSchema = z.strictObject({ path, content: z.unknown(), header: z.string().optional() });
export const TextFilePropsSchema = z.strictObject({ path, text: z.string() });
