/**
 * The declarative runtime schemas of the file props (see `model/props.ts`): checked by each file
 * construct before it reads its props. Types only; the path's rules (normalised, inside the output
 * directory, no collision) are checked afterwards.
 */
import { z } from '../private/props.js';

const path = z.string();

export const FileArtifactPropsSchema = z.strictObject({ path });
/** `content` is any document (plain data, checked when it is rendered); it must be given. */
export const DataFilePropsSchema = z.strictObject({ path, content: z.unknown() });
export const YamlFilePropsSchema = z.strictObject({ path, content: z.unknown(), header: z.string().optional() });
export const TextFilePropsSchema = z.strictObject({ path, text: z.string() });
