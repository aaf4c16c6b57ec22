// preload-shared.mjs: index.html names every shared singleton chunk and what it statically imports,
// and nothing else (a lazy page or a stylesheet preloaded as a module would waste the first load).
import t from 'tap';
import { preloadSharedChunks, sharedChunkClosure } from '../preload-shared.mjs';

const bundle = {
  'assets/index-a1.js': { type: 'chunk', fileName: 'assets/index-a1.js', imports: ['assets/jsx-runtime-b2.js'] },
  'assets/jsx-runtime-b2.js': { type: 'chunk', fileName: 'assets/jsx-runtime-b2.js', imports: [] },
  'assets/__federation_shared_react-router-c3.js': { type: 'chunk', fileName: 'assets/__federation_shared_react-router-c3.js', imports: ['assets/__federation_shared_react-d4.js'] },
  'assets/__federation_shared_react-d4.js': { type: 'chunk', fileName: 'assets/__federation_shared_react-d4.js', imports: ['assets/_commonjsHelpers-e5.js'] },
  'assets/_commonjsHelpers-e5.js': { type: 'chunk', fileName: 'assets/_commonjsHelpers-e5.js' },
  // An import that is not a file of the bundle (external) is skipped.
  'assets/__federation_shared_@bank/ui-f6.js': { type: 'chunk', fileName: 'assets/__federation_shared_@bank/ui-f6.js', imports: ['external-module'] },
  'assets/SettingsPage-g7.js': { type: 'chunk', fileName: 'assets/SettingsPage-g7.js', imports: ['assets/__federation_shared_@bank/ui-f6.js'] },
  'assets/index-h8.css': { type: 'asset', fileName: 'assets/index-h8.css' },
};

t.test('the shared chunks and their static imports, nothing else', async (t) => {
  const files = sharedChunkClosure(bundle);
  t.same(new Set(files), new Set([
    'assets/__federation_shared_@bank/ui-f6.js',
    'assets/__federation_shared_react-d4.js',
    'assets/_commonjsHelpers-e5.js',
    'assets/__federation_shared_react-router-c3.js',
  ]));
  t.notOk(files.includes('assets/SettingsPage-g7.js'), 'a lazy page is not preloaded');
  t.notOk(files.includes('assets/index-a1.js'), 'the entry is left to Vite');
});

t.test('the HTML tags: modulepreload links under the base path, none twice', async (t) => {
  const plugin = preloadSharedChunks('/');
  const transform = plugin.transformIndexHtml as { handler: (html: string, ctx: { bundle?: unknown }) => unknown };
  const html = '<link rel="modulepreload" crossorigin href="/assets/_commonjsHelpers-e5.js">';
  const tags = transform.handler(html, { bundle }) as Array<{ tag: string; attrs: Record<string, unknown> }>;
  t.equal(tags.length, 3, 'the chunk already in index.html is not added again');
  for (const tag of tags) {
    t.equal(tag.tag, 'link');
    t.equal(tag.attrs.rel, 'modulepreload');
    t.match(String(tag.attrs.href), /^\/assets\/__federation_shared_/);
  }
  t.equal(transform.handler(html, {}), html, 'the dev server (no bundle) is left alone');
});
