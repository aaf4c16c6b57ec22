// Modulepreload hints for a remote's exposed module and the chunks it imports statically.
// The federation plugin's remoteEntry.js loads an exposed module with `import(url)` when the host
// asks for it; the browser learns of that chunk's own static imports (the list page's @bank/ui/data,
// formatting, payment parties…) only once the chunk has arrived and been parsed, and fetches them
// then: one more round trip, behind a busy main thread, on a cold /payments load before its first
// row (docs/benchmarks/frontend.md). Here remoteEntry.js names them all as it runs — the host
// loads it only to import its module — so the browser fetches them in parallel with the chunk.

/** @param {string} fileName */
export const isExposeChunk = (fileName) => /(^|\/)__federation_expose_[^/]*\.js$/.test(fileName);

/**
 * A chunk's static imports, transitively, without the chunk itself, in a stable order.
 * @param {Record<string, { type: string; fileName: string; imports?: string[] }>} bundle
 * @param {string} fileName
 * @returns {string[]}
 */
export function staticImportClosure(bundle, fileName) {
  /** @type {Set<string>} */
  const files = new Set();
  /** @param {string} name */
  const add = (name) => {
    const chunk = bundle[name];
    if (!chunk || chunk.type !== 'chunk' || files.has(name)) return;
    files.add(name);
    for (const imported of chunk.imports ?? []) add(imported);
  };
  for (const imported of bundle[fileName]?.imports ?? []) add(imported);
  files.delete(fileName);
  return [...files].sort();
}

/**
 * remoteEntry.js's code with a statement at its end (before the source map comment, so no mapping
 * moves) that adds a modulepreload link for each static import of the exposed modules: the host
 * loads remoteEntry.js only to import one of them (every remote exposes just `./App`), and
 * `import(url)` of the chunk itself follows at once.
 * @param {string} code remoteEntry.js
 * @param {Record<string, { type: string; fileName: string; imports?: string[] }>} bundle
 * @param {string} base the remote's public base path ("/mfe/payments/")
 * @returns {string}
 */
export function addExposePreloads(code, bundle, base) {
  /** @type {Set<string>} */
  const hrefs = new Set();
  for (const fileName of Object.keys(bundle).sort()) {
    if (isExposeChunk(fileName)) for (const dep of staticImportClosure(bundle, fileName)) hrefs.add(`${base}${dep}`);
  }
  if (hrefs.size === 0) return code;
  const statement =
    `for(const href of ${JSON.stringify([...hrefs])}){` +
    'if(document.head.querySelector(`link[rel="modulepreload"][href="${href}"]`))continue;' +
    'const link=document.createElement("link");link.rel="modulepreload";link.href=href;document.head.appendChild(link)}\n';
  const comment = code.lastIndexOf('\n//# sourceMappingURL=');
  return comment < 0 ? `${code}\n${statement}` : `${code.slice(0, comment + 1)}${statement}${code.slice(comment + 1)}`;
}

/**
 * @param {string} base the remote's public base path ("/mfe/payments/")
 * @returns {import('vite').Plugin}
 */
export function preloadExposedChunks(base) {
  return {
    name: 'bank:preload-expose',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const entry = Object.values(bundle).find((item) => item.type === 'chunk' && /(^|\/)remoteEntry\.js$/.test(item.fileName));
        if (!entry || entry.type !== 'chunk') return;
        entry.code = addExposePreloads(entry.code, /** @type {any} */ (bundle), base);
      },
    },
  };
}
