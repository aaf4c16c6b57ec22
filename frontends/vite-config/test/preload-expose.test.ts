// preload-expose.mjs: a remote's remoteEntry.js names its exposed chunk and that chunk's static
// imports as modulepreload links, and the exposed stylesheet as a style preload, when it runs — not
// the exposed chunk's lazy pages, not the entry itself — and no source map line moves.
import t from 'tap';
import { addExposePreloads, preloadExposedChunks, staticImportClosure } from '../preload-expose.mjs';

const bundle = {
  'remoteEntry.js': { type: 'chunk', fileName: 'remoteEntry.js', imports: [] },
  'assets/__federation_expose_App-a1.js': { type: 'chunk', fileName: 'assets/__federation_expose_App-a1.js', imports: ['assets/media-query-b2.js', 'assets/jsx-runtime-c3.js'] },
  'assets/media-query-b2.js': { type: 'chunk', fileName: 'assets/media-query-b2.js', imports: ['assets/money-d4.js'] },
  'assets/jsx-runtime-c3.js': { type: 'chunk', fileName: 'assets/jsx-runtime-c3.js', imports: [] },
  'assets/money-d4.js': { type: 'chunk', fileName: 'assets/money-d4.js', imports: ['assets/__federation_expose_App-a1.js'] },
  // Lazy pages: dynamic imports of the exposed chunk, loaded when opened.
  'assets/CreatePaymentPage-e5.js': { type: 'chunk', fileName: 'assets/CreatePaymentPage-e5.js', imports: ['assets/media-query-b2.js'] },
  'assets/__federation_expose_App-f6.css': { type: 'asset', fileName: 'assets/__federation_expose_App-f6.css' },
};

const ENTRY = 'const e={};export{e as get};\n//# sourceMappingURL=remoteEntry.js.map';

t.test('the static imports of the exposed chunk, transitively, without itself', async (t) => {
  t.same(staticImportClosure(bundle, 'assets/__federation_expose_App-a1.js'), ['assets/jsx-runtime-c3.js', 'assets/media-query-b2.js', 'assets/money-d4.js']);
  t.same(staticImportClosure(bundle, 'assets/missing.js'), []);
});

t.test('remoteEntry.js adds the links when it runs, before the source map comment', async (t) => {
  const code = addExposePreloads(ENTRY, bundle, '/mfe/payments/');
  t.ok(code.startsWith('const e={};export{e as get};\n'), 'the original code is unchanged and keeps its lines');
  t.ok(code.endsWith('\n//# sourceMappingURL=remoteEntry.js.map'), 'the source map comment stays last');
  t.match(code, '"/mfe/payments/assets/media-query-b2.js"');
  t.notMatch(code, 'CreatePaymentPage', 'a lazy page is not preloaded');

  // Run the added statement against a minimal document: one link per file, none twice.
  const head: Array<{ rel: string; href: string; as?: string }> = [{ rel: 'modulepreload', href: '/mfe/payments/assets/jsx-runtime-c3.js' }];
  const document = {
    head: {
      querySelector: (selector: string) => head.find((l) => selector.includes(`[href="${l.href}"]`)) ?? null,
      appendChild: (link: { rel: string; href: string }) => head.push(link),
    },
    createElement: () => ({ rel: '', href: '' }),
  };
  const statement = code.slice(ENTRY.indexOf('\n//#') + 1, code.lastIndexOf('\n//#'));
  new Function('document', statement)(document);
  t.same(head.map((l) => `${l.rel}${l.as ? ` as=${l.as}` : ''} ${l.href}`), [
    'modulepreload /mfe/payments/assets/jsx-runtime-c3.js',
    'modulepreload /mfe/payments/assets/__federation_expose_App-a1.js',
    'modulepreload /mfe/payments/assets/media-query-b2.js',
    'modulepreload /mfe/payments/assets/money-d4.js',
    'preload as=style /mfe/payments/assets/__federation_expose_App-f6.css',
  ]);
});

t.test('a bundle without an exposed module, or code without a source map comment', async (t) => {
  t.equal(addExposePreloads(ENTRY, { 'remoteEntry.js': bundle['remoteEntry.js'] }, '/mfe/auth/'), ENTRY);
  t.match(addExposePreloads('export{};', bundle, '/mfe/auth/'), /^export\{\};\nfor\(const href of/);
});

t.test('the plugin rewrites remoteEntry.js of the bundle only', async (t) => {
  const output: Record<string, { type: string; fileName: string; code?: string; imports?: string[] }> = structuredClone(bundle);
  output['remoteEntry.js']!.code = ENTRY;
  output['assets/jsx-runtime-c3.js']!.code = 'export{};';
  const plugin = preloadExposedChunks('/mfe/payments/');
  const hook = plugin.generateBundle as { handler: (options: unknown, bundle: unknown) => void };
  hook.handler({}, output);
  t.match(output['remoteEntry.js']!.code, 'modulepreload');
  t.equal(output['assets/jsx-runtime-c3.js']!.code, 'export{};');
});
