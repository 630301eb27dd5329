import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces of the compiled bundle point at the TypeScript (and at the dependencies' own
 * files), like node's --enable-source-maps, but the map is read on the first trace formatted
 * instead of at start: node's flag parses every map at load and keeps it, ~9 MiB of a server
 * that may never print a trace (docs/performance.md, "Sync server"). Does nothing when there
 * is no `<bundle>.map` (tsx runs the sources) or when node maps traces itself.
 */
export function installSourceMapTraces(bundleUrl: string): boolean {
  const bundlePath = bundleUrl.startsWith('file:') ? fileURLToPath(bundleUrl) : bundleUrl;
  const mapPath = `${bundlePath}.map`;
  if (process.sourceMapsEnabled || !fs.existsSync(mapPath)) return false;
  const mapDir = path.dirname(mapPath);
  const bundleFileUrl = pathToFileURL(bundlePath).href;
  let map: SourceMap | null | undefined;
  const loadMap = (): SourceMap | null => {
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(mapPath, 'utf8')) as never);
    } catch {
      map = null; // a missing or broken map leaves the bundle's own positions
    }
    return map;
  };

  const frame = (site: NodeJS.CallSite): string => {
    const text = String(site);
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if ((file !== bundlePath && file !== bundleFileUrl) || line === null || column === null)
      return text;
    const entry = (map === undefined ? loadMap() : map)?.findEntry(line - 1, column - 1);
    if (!entry || !('originalSource' in entry)) return text;
    const source = path.resolve(mapDir, entry.originalSource);
    const at = `${file}:${line}:${column}`;
    return text.replace(at, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };

  Error.prepareStackTrace = (error: unknown, sites: NodeJS.CallSite[]) => {
    let head: string;
    try {
      head = Error.prototype.toString.call(error);
    } catch {
      head = '<error>';
    }
    return head + sites.map((site) => `\n    at ${frame(site)}`).join('');
  };
  return true;
}
