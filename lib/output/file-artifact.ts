import { Construct } from 'constructs';
import { findAll } from '../model/find.js';
import { normaliseUserPath } from './output-path.js';
import { toJson, toYaml, sortKeys } from './render.js';
import { checkConstructArgs, constructArgs, classPropsSchema, registerPropsSchema, typedProps, typeProblemsOf } from '../model/typed.js';
import { DataFilePropsSchema, FileArtifactPropsSchema, TextFilePropsSchema, YamlFilePropsSchema } from './props.js';

/** Props of a {@link FileArtifact}. */
export interface FileArtifactProps {
  /**
   * Path of the file relative to the output directory, with `/` separators. It is normalised
   * (`./a` is `a`); an absolute path, a path that leaves the output directory (`..`), a `\`, a
   * control character, or a path that is (also in another letter case) the path of another file of
   * the output is refused.
   */
  readonly path: string;
}

/**
 * A file of the output that is not a Kubernetes manifest (Helm values, IAM documents, reports).
 * Files are constructs that render their own content; a path outside the output directory, and
 * two files with one path (or paths one filesystem would take for one), are refused.
 */
export abstract class FileArtifact extends Construct {
  /** Returns all file artifacts below `scope`, in construct-tree order. */
  public static all(scope: Construct): FileArtifact[] {
    return findAll(scope, FileArtifact);
  }

  /** Path relative to the output directory, normalised (as given when it is refused). */
  public readonly path: string;

  public constructor(scope: Construct, id: string, props: FileArtifactProps) {
    super(...constructArgs(scope, id));
    checkConstructArgs(this, scope, id, 'the TopologyApp');
    props = typedProps<FileArtifactProps>(this, classPropsSchema(new.target) ?? FileArtifactPropsSchema, props, { path: '' });
    const checked = normaliseUserPath(props.path);
    this.path = checked.path ?? String(props.path);
    if (checked.problem !== undefined) {
      const problem = checked.problem;
      this.node.addValidation({ validate: () => [problem] });
    }
  }

  /** The file's content. */
  public abstract render(): string;
}

/** Props of a {@link JsonFile} or {@link YamlFile}. */
export interface DataFileProps extends FileArtifactProps {
  /** The document (plain data). Keys are sorted on output. */
  readonly content: unknown;
}

/** A JSON document with sorted keys. */
export class JsonFile extends FileArtifact {
  private readonly content: unknown;
  public constructor(scope: Construct, id: string, props: DataFileProps) {
    super(scope, id, props);
    this.content = typeProblemsOf(this).length === 0 ? props.content : null;
  }
  public render(): string {
    return toJson(this.content);
  }
}

/** A YAML document with sorted keys. */
export class YamlFile extends FileArtifact {
  private readonly content: unknown;
  public constructor(scope: Construct, id: string, props: DataFileProps & { readonly header?: string }) {
    super(scope, id, props);
    const typed = typeProblemsOf(this).length === 0;
    this.content = typed ? props.content : null;
    this.header = typed ? props.header : undefined;
  }
  private readonly header?: string;
  public render(): string {
    const body = toYaml(sortKeys(this.content));
    return this.header
      ? `${this.header
          .split('\n')
          .map((l) => `# ${l}`.trimEnd())
          .join('\n')}\n${body}`
      : body;
  }
}

/** A text file (Markdown, shell lines). */
export class TextFile extends FileArtifact {
  private readonly text: string;
  public constructor(scope: Construct, id: string, props: FileArtifactProps & { readonly text: string }) {
    super(scope, id, props);
    if (typeProblemsOf(this).length > 0) props = { path: '', text: '' };
    this.text = props.text.endsWith('\n') ? props.text : `${props.text}\n`;
  }
  public render(): string {
    return this.text;
  }
}

// Every one has `path`; a user's subclass gets the schema of the class it extends.
registerPropsSchema(JsonFile, DataFilePropsSchema);
registerPropsSchema(YamlFile, YamlFilePropsSchema);
registerPropsSchema(TextFile, TextFilePropsSchema);
