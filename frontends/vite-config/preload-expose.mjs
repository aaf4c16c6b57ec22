// Preload hints for a remote's exposed module: the chunk, the chunks it imports statically, and
// its stylesheet. The federation plugin's remoteEntry.js loads an exposed module with `import(url)`
// when the host asks for it; the browser learns of that chunk's own static imports (the list page's
// @bank/ui/data, formatting, payment parties…) only once the chunk has arrived and been parsed, and
// fetches them then: one more round trip, behind a busy main thread, on a cold /payments load
// before its first row (docs/benchmarks/frontend.md). Here remoteEntry.js names them all as it
// runs. The host's public/early-requests.js runs remoteEntry.js as soon as /config.json names it,
// while the shell's own modules are still downloading and evaluating, so the exposed chunk (and its
// stylesheet, which the federation plugin would only ask for with the chunk) is on its way before
// the shell asks for it; the hints cost nothing when the host imports the chunk at once.

/** @param {string} fileName */
export const isExposeChunk = (fileName) => /(^|\/)__federation_expose_[^/]*\.js$/.test(fileName);

/** The exposed module's stylesheet, which the federation plugin names after it. @param {string} fileName */
export const isExposeCss = (fileName) => /(^|\/)__federation_expose_[^/]*\.css$/.test(fileName);

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
 * moves) that adds a modulepreload link for each exposed chunk and its static imports, and a
 * style preload for each exposed stylesheet: the host loads remoteEntry.js only to import one of
 * them (every remote exposes just `./App`).
 * @param {string} code remoteEntry.js
 * @param {Record<string, { type: string; fileName: string; imports?: string[] }>} bundle
 * @param {string} base the remote's public base path ("/mfe/payments/")
 * @returns {string}
 */
export function addExposePreloads(code, bundle, base) {
  /** @type {Set<string>} */
  const hrefs = new Set();
  for (const fileName of Object.keys(bundle).sort()) {
    if (isExposeChunk(fileName)) for (const file of [fileName, ...staticImportClosure(bundle, fileName)]) hrefs.add(`${base}${file}`);
    else if (isExposeCss(fileName)) hrefs.add(`${base}${fileName}`);
  }
  if (hrefs.size === 0) return code;
  const statement =
    `for(const href of ${JSON.stringify([...hrefs])}){` +
    'if(document.head.querySelector(`link[href="${href}"]`))continue;' +
    'const link=document.createElement("link");' +
    'if(href.endsWith(".css")){link.rel="preload";link.as="style"}else link.rel="modulepreload";' +
    'link.href=href;document.head.appendChild(link)}\n';
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
