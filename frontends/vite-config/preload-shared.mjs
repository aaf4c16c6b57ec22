// Modulepreload hints for the host's shared singletons (react-dom, react-router, @bank/ui, …).
// The federation plugin turns every `import … from 'react-router'` into
// `await importShared('react-router')`, a dynamic import made only when the importing chunk runs:
// a cold load fetched the shared chunks one after another once the entry had been parsed (≈ 130 ms
// of a cold /payments load on this machine, docs/benchmarks/frontend.md). The shell imports every
// one of them before its first render, so index.html names them all (and their static imports):
// the browser fetches and compiles them in parallel with the entry.

/** @param {string} fileName */
const isShared = (fileName) => /(^|\/)__federation_shared_/.test(fileName);

/**
 * The shared chunks of a bundle with their static imports, in a stable order.
 * @param {Record<string, { type: string; fileName: string; imports?: string[] }>} bundle
 * @returns {string[]}
 */
export function sharedChunkClosure(bundle) {
  /** @type {Set<string>} */
  const files = new Set();
  /** @param {string} fileName */
  const add = (fileName) => {
    const chunk = bundle[fileName];
    if (!chunk || chunk.type !== 'chunk' || files.has(fileName)) return;
    files.add(fileName);
    for (const imported of chunk.imports ?? []) add(imported);
  };
  for (const fileName of Object.keys(bundle).sort()) if (isShared(fileName)) add(fileName);
  return [...files];
}

/**
 * @param {string} base the app's public base path ("/")
 * @returns {import('vite').Plugin}
 */
export function preloadSharedChunks(base) {
  return {
    name: 'bank:preload-shared',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        return sharedChunkClosure(/** @type {any} */ (ctx.bundle))
          .map((fileName) => `${base}${fileName}`)
          .filter((href) => !html.includes(`"${href}"`))
          .map((href) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href }, injectTo: /** @type {const} */ ('head') }));
      },
    },
  };
}
