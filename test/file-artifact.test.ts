import { describe, expect, it } from 'vitest';
import { AwsSecretsManager, FileArtifact, JsonFile, TextFile, TopologyApp, TopologyError, YamlFile } from '../lib/index.js';

describe('file artifacts (user files in dist/)', () => {
  it('render into the output with sorted keys', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    new JsonFile(app, 'owners', { path: 'meta/owners.json', content: { z: 1, a: { y: 2, b: [3, 1] } } });
    new YamlFile(app, 'notes', { path: 'meta/notes.yaml', content: { team: 'platform', on: 'yes' }, header: 'Generated.' });
    new TextFile(app, 'codeowners', { path: 'CODEOWNERS', text: '* @acme/platform' });
    const files = app.compile().files;
    expect(files.get('meta/owners.json')).toBe('{\n  "a": {\n    "b": [\n      3,\n      1\n    ],\n    "y": 2\n  },\n  "z": 1\n}\n');
    expect(files.get('meta/notes.yaml')).toBe('# Generated.\n"on": "yes"\nteam: platform\n');
    expect(files.get('CODEOWNERS')).toBe('* @acme/platform\n');
  });

  it('refuses two files with one path, naming the path and the construct', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    new TextFile(app, 'a', { path: 'README.txt', text: 'a' });
    new TextFile(app, 'b', { path: 'README.txt', text: 'b' });
    expect(() => app.compile()).toThrow(TopologyError);
    expect(() => new TopologyApp().compile()).not.toThrow();
    try {
      app.compile();
    } catch (e) {
      expect((e as TopologyError).problems).toEqual([
        { path: 'b', message: 'output file "README.txt" is produced twice: rename one of the objects.' },
      ]);
    }
  });
});

describe('subclasses of the public file classes and providers (attack3)', () => {
  // The props schema is looked up by class (the nearest library class of new.target), not read
  // from a member: a user's subclass that declares a propsSchema() (or any name) of its own for
  // something else keeps its props checked by the library's schema.
  class Notes extends TextFile {
    public propsSchema(): string {
      return 'mine';
    }
  }
  class MyFile extends FileArtifact {
    public propsSchema(): number {
      return 42;
    }
    public render(): string {
      return 'x\n';
    }
  }
  class MySecretsManager extends AwsSecretsManager {
    public propsSchema(): null {
      return null;
    }
  }

  it('a subclass with its own propsSchema() method keeps its props checked by the library schema', () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    const notes = new Notes(app, 'notes', { path: 'NOTES.md', text: 'hello' });
    new MyFile(app, 'mine', { path: 'MINE.txt' });
    expect(notes.propsSchema()).toBe('mine');
    expect(app.compile().files.get('NOTES.md')).toBe('hello\n');
    expect(app.compile().files.get('MINE.txt')).toBe('x\n');
    expect(new MySecretsManager({ region: 'eu-central-1', recoveryWindowInDays: 7 }).recoveryWindowInDays).toBe(7);
  });

  it("a subclass's wrong props are refused by the schema of the class it extends (text, unknown keys)", () => {
    const app = new TopologyApp({ outdir: '/nonexistent' });
    new Notes(app, 'notes', { path: 'NOTES.md', text: 42 as unknown as string });
    new MyFile(app, 'mine', { path: 'MINE.txt', txet: 'x' } as never);
    const messages: string[] = [];
    try {
      app.compile();
    } catch (e) {
      messages.push(...(e as TopologyError).problems.map((p) => `${p.path}: ${p.message}`));
    }
    expect(messages.join('\n')).toMatch(/^notes: text has the wrong type/m);
    expect(messages.join('\n')).toMatch(/^mine: .*txet/m);
    expect(messages.join('\n')).not.toMatch(/cannot be read/);
  });
});
