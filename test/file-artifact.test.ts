import { describe, expect, it } from 'vitest';
import { JsonFile, TextFile, TopologyApp, TopologyError, YamlFile } from '../lib/index.js';

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

describe('subclasses of the public file classes (attack3)', () => {
  // The props schema is a protected method hidden from the declarations (@internal, stripInternal) and
  // called from the base constructor: a user's subclass of FileArtifact (or of AwsSecretsManager)
  // that declares its own `propsSchema()` for anything else compiles, and then its props are
  // refused as "props cannot be read (a getter or proxy threw)". A schema looked up by class (a
  // module-private WeakMap keyed by the constructor) would leave no name to collide with.
  it.todo('a subclass with its own propsSchema() method keeps its props checked by the library schema');
});
