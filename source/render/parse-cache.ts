// Parsed manifests by the content of the text they came from. Parsing YAML is most of what rendering a large plain
// folder costs (about half a second for a thousand files), and between two renders almost every file is unchanged:
// a commit that edits ten files re-parses ten. Kept in memory for the watch loop and, when given a file, on disk
// beside the Git cache, so that one-shot commands (diff, sync, status) share it as Argo CD's repo server shares its
// manifest cache. Entries hold JSON text (deflated, in memory and in the file), so every hit hands out fresh objects
// that callers may change freely.
// Texts that fail to parse are never cached: their error is worked out again, with its file and line, every time.
//
// Rendered Secrets stay cached (a render answered whole from the cache is what saves running helm again, and charts
// with a Secret are the common case; Argo CD's repo server keeps them in its cache too), but never in the clear: a
// text holding a Secret is written sealed with a key kept apart from the cache (sealed.ts). The file is the user's
// alone all the same: 0600, in a folder of 0700, both tightened again when an older, looser file is met.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KubeObject, RenderedManifest } from '../engine/types.js';
import { type ParseContext, parseManifests } from './manifests.js';
import { pack, unpack } from './packed.js';
import type { ParsePool } from './parse-pool.js';
import type { ToolOptions } from './run-tool.js';
import { defaultSealKeyFile, holdsSecret, isSealed, seal, sealKey, unseal } from './sealed.js';

/**
 * Bump when parsing changes what it produces for the same text (a new YAML option, another library version) or
 * refuses texts it took before (/2: names, apiVersions and Secret values are checked), so that no entry written
 * before a check can answer for a text the check refuses.
 */
const FORMAT = 'driftdeck-manifests/2 yaml-1.1';
/**
 * The file's layout: the parse format, and entries written as they are kept in memory (deflated, then base64), so
 * that a save neither inflates every entry nor writes ten times its size (a fleet's 20 MB file, written again as
 * each app's render came in, took 2.6 s of the loop's thread on start), and a load does not deflate them again.
 */
const FILE_FORMAT = `${FORMAT} deflated`;
/** A deflated entry in the file; a text holding a Secret is written sealed instead (sealed.ts), never deflated. */
const DEFLATED = 'deflate:';
/** How long `saveSoon` waits before it saves. */
const SAVE_SOON_MS = 1000;
/** Texts remembered (least recently used go first): a few large repositories' worth. */
const DEFAULT_MAX_ENTRIES = 20_000;

interface Parsed {
  object: KubeObject;
  line: number;
}

interface CacheFile {
  format: string;
  /** Key (hash of a text) to the JSON of its Parsed[], deflated (DEFLATED) or sealed, oldest use first. */
  entries: [string, string][];
  /** Key (revision, app, tools) to the texts that render parsed, as [file, text key] in order. */
  renders?: [string, [string, string][]][];
}

/** Renders remembered: each is a list of text keys, small beside the parsed texts it points at. */
const MAX_RENDERS = 64;
const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

/** Takes group and other rights off the cache file and its folder, when they have any. */
async function tighten(file: string): Promise<void> {
  for (const [path, mode] of [
    [dirname(file), FOLDER_MODE],
    [file, FILE_MODE],
  ] as const) {
    const current = await stat(path).catch(() => undefined);
    if (current && (current.mode & 0o077) !== 0) await chmod(path, mode).catch(() => undefined);
  }
}

export class ManifestCache {
  /** Text key to the JSON of its Parsed[], deflated (see `pack`). */
  private readonly entries = new Map<string, Buffer>();
  /** The keys of entries whose JSON holds a Secret (written sealed): kept in step with `entries` by `drop`. */
  private readonly secrets = new Set<string>();
  private readonly renders = new Map<string, [string, string][]>();
  private loaded: Promise<void> | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** A write queued and not started yet: later saves join it. */
  private pending: Promise<void> | undefined;
  private dirty = false;
  private soon: NodeJS.Timeout | undefined;
  hits = 0;
  misses = 0;
  /** Renders answered whole by `rendered`. */
  renderHits = 0;

  constructor(
    /** Where it persists; in memory only when undefined. Its folder is made private (0700): one of driftdeck's own. */
    readonly file?: string,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    /** The key that seals the texts holding a Secret in the file. */
    private readonly sealKeyFile = defaultSealKeyFile(),
    /** Parse threads for the texts `parseAll` does not find (the watch loop's renders); none parses in place. */
    private readonly pool?: ParsePool,
  ) {}

  private sealing: Promise<Buffer | undefined> | undefined;

  /** The sealing key, made on first use; undefined when it cannot be had (texts with Secrets are then not kept). */
  private key(): Promise<Buffer | undefined> {
    this.sealing ??= sealKey(this.sealKeyFile).catch(() => undefined);
    return this.sealing;
  }

  /** Reads the file once; a missing, unreadable or other-format file is an empty cache, never an error. */
  load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.file) return;
      await tighten(this.file);
      try {
        const data = JSON.parse(await readFile(this.file, 'utf8')) as CacheFile;
        if (data.format !== FILE_FORMAT || !Array.isArray(data.entries)) return;
        const sealKey = data.entries.some(([, value]) => typeof value === 'string' && isSealed(value))
          ? await this.key()
          : undefined;
        for (const [key, value] of data.entries) {
          if (typeof key !== 'string' || typeof value !== 'string' || this.entries.has(key)) continue;
          if (value.startsWith(DEFLATED)) {
            this.entries.set(key, Buffer.from(value.slice(DEFLATED.length), 'base64'));
          } else if (isSealed(value)) {
            const text = sealKey && unseal(sealKey, value);
            if (text === undefined) continue;
            this.entries.set(key, pack(text));
            this.secrets.add(key);
          }
        }
        for (const [key, texts] of data.renders ?? []) {
          if (typeof key === 'string' && Array.isArray(texts) && !this.renders.has(key))
            this.renders.set(key, texts);
        }
      } catch {
        // no cache yet, or a damaged one: it is rebuilt by parsing
      }
    })();
    return this.loaded;
  }

  /**
   * parseManifests, answered from the cache when this exact text was parsed before. Both ways the objects come
   * from JSON text, as they travel to the API server, so a hit and a miss give equal objects.
   */
  parse(text: string, context: ParseContext, record?: [string, string][]): RenderedManifest[] {
    const key = textKey(text);
    const json = this.known(key) ?? this.keep(key, parsedJson(text, context));
    record?.push([context.file, key]);
    return fromJson(json, context.file);
  }

  /**
   * Several texts at once (a folder's files), in order: the texts not cached are parsed side by side in the
   * parse threads when there are some (./parse-pool.ts), else one by one as `parse`. The first text that fails,
   * in their order, fails them all.
   */
  async parseAll(
    texts: ReadonlyArray<{ text: string; context: ParseContext }>,
    record?: [string, string][],
  ): Promise<RenderedManifest[]> {
    const pool = this.pool;
    if (!pool) return texts.flatMap(({ text, context }) => this.parse(text, context, record));
    const keys = texts.map(({ text }) => textKey(text));
    const answers = await Promise.allSettled(
      texts.map(({ text, context }, i) => {
        const known = this.known(keys[i]!);
        if (known !== undefined) return known;
        return pool.parse(text, context).then((p) => this.keep(keys[i]!, p.json, p.packed, p.secret));
      }),
    );
    const failed = answers.find((a) => a.status === 'rejected');
    if (failed) throw failed.reason;
    return texts.flatMap(({ context }, i) => {
      record?.push([context.file, keys[i]!]);
      return fromJson((answers[i] as PromiseFulfilledResult<string>).value, context.file);
    });
  }

  /** The JSON of a text parsed before (a hit, now the most recently used), or undefined (a miss). */
  private known(key: string): string | undefined {
    const json = this.opened(key);
    if (json === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last, so trimming drops the oldest.
    const packed = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, packed);
    return json;
  }

  /** An entry's JSON; an entry that does not inflate (a damaged file) is dropped, as if it had never been kept. */
  private opened(key: string): string | undefined {
    const packed = this.entries.get(key);
    if (packed === undefined) return undefined;
    try {
      return unpack(packed);
    } catch {
      this.drop(key);
      return undefined;
    }
  }

  private drop(key: string): void {
    this.entries.delete(key);
    this.secrets.delete(key);
  }

  /**
   * Keeps a text's new parse (packed and checked for a Secret by a parse thread, or here); the least recently used
   * go past the bound.
   */
  private keep(key: string, json: string, packed = pack(json), secret = holdsSecret(json)): string {
    this.entries.set(key, packed);
    if (secret) this.secrets.add(key);
    else this.secrets.delete(key);
    while (this.entries.size > this.maxEntries) this.drop(this.entries.keys().next().value!);
    this.dirty = true;
    return json;
  }

  /**
   * What an earlier render with this key produced, without reading or parsing anything; undefined when it is not
   * known (or a text it used has been trimmed since).
   */
  rendered(key: string): RenderedManifest[] | undefined {
    const texts = this.renders.get(key);
    if (!texts) return undefined;
    const out: RenderedManifest[] = [];
    for (const [file, textKey] of texts) {
      const json = this.opened(textKey);
      if (json === undefined) return undefined;
      out.push(...fromJson(json, file));
    }
    this.renderHits++;
    return out;
  }

  /** Remembers which texts a successful render parsed, in order, under its key. */
  remember(key: string, texts: [string, string][]): void {
    this.renders.delete(key);
    this.renders.set(key, texts);
    while (this.renders.size > MAX_RENDERS) this.renders.delete(this.renders.keys().next().value!);
    this.dirty = true;
  }

  /**
   * Asks for a save SAVE_SOON_MS from the first ask that none is waiting for: the renders of one revision, however
   * many, become one write or a few. The timer does not hold the process open.
   */
  saveSoon(): void {
    if (!this.file || this.soon) return;
    waiting.add(this);
    this.soon = setTimeout(() => void this.flush(), SAVE_SOON_MS);
    this.soon.unref();
  }

  /** Saves now what `saveSoon` would save in a moment (before the process exits). */
  flush(): Promise<void> {
    if (this.soon) clearTimeout(this.soon);
    this.soon = undefined;
    waiting.delete(this);
    return this.save();
  }

  /**
   * Writes the file when something new was parsed: to a temporary file renamed over it, so that another process
   * reading or writing at the same time sees a whole file, old or new. A failed write only costs a re-parse later.
   * Saves asked for while one is waiting to start join it: the apps of one revision render at once, and their
   * saves become one write of what all of them parsed, not one whole file per app.
   */
  save(): Promise<void> {
    const file = this.file;
    if (!file || !this.dirty) return this.saving;
    this.pending ??= this.saving.then(async () => {
      this.pending = undefined;
      this.dirty = false;
      const sealing = this.secrets.size > 0 ? await this.key() : undefined;
      const entries: [string, string][] = [];
      for (const [key, packed] of this.entries) {
        if (!this.secrets.has(key)) entries.push([key, DEFLATED + packed.toString('base64')]);
        else if (sealing) entries.push([key, seal(sealing, unpack(packed))]);
      }
      const data: CacheFile = { format: FILE_FORMAT, entries, renders: [...this.renders] };
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await mkdir(dirname(file), { recursive: true, mode: FOLDER_MODE });
        await tighten(file);
        // A leftover temporary file would keep its old mode through writeFile: start from none.
        await rm(tmp, { force: true });
        await writeFile(tmp, JSON.stringify(data), { mode: FILE_MODE, flag: 'wx' });
        await rename(tmp, file);
      } catch {
        this.dirty = true;
      }
    });
    this.saving = this.pending;
    return this.saving;
  }
}

/** This thread's caches with a save asked for by `saveSoon` and not made yet. */
const waiting = new Set<ManifestCache>();

/**
 * Makes the saves `saveSoon` put off: the process (cli/main.ts) and a console's loop thread call it before they
 * exit, since the timer does not hold them open.
 */
export function flushParseCaches(): Promise<void> {
  return Promise.all([...waiting].map((cache) => cache.flush())).then(() => undefined);
}

/** A text's key in the cache: its hash, with the format it was parsed by. */
function textKey(text: string): string {
  return createHash('sha256').update(FORMAT).update('\0').update(text).digest('base64url');
}

/** What a miss keeps: the JSON of the text's manifests and their lines. */
export function parsedJson(text: string, context: ParseContext): string {
  const parsed: Parsed[] = parseManifests(text, context).map((m) => ({
    object: m.object,
    line: m.source.line,
  }));
  return JSON.stringify(parsed);
}

function fromJson(json: string, file: string): RenderedManifest[] {
  return (JSON.parse(json) as Parsed[]).map((p) => ({ object: p.object, source: { file, line: p.line } }));
}

/** How an app is rendered: tool limits, and the parse cache when there is one. */
export interface RenderOptions extends ToolOptions {
  cache?: ManifestCache;
  /**
   * The commit the checkout holds. With a cache, a render of the same commit, app and tools is answered from it
   * without reading the folder or running a tool: a commit's tree never changes.
   */
  revision?: string;
  /** Filled while rendering: the texts parsed, in order, for the cache to remember the render by. */
  record?: [string, string][];
  /** Filled by a plain folder's render with the folders it read, when they are everything it read. */
  readFolders?: string[];
  /**
   * Saves the cache a moment after the render rather than before it returns (the watch loop's renders): the apps
   * of a revision finish one by one, and a save each rewrote the whole file once per app.
   */
  saveSoon?: boolean;
}

/** parseManifests through the cache when the caller keeps one. */
export function parseRendered(
  text: string,
  context: ParseContext,
  options: RenderOptions,
): RenderedManifest[] {
  return options.cache ? options.cache.parse(text, context, options.record) : parseManifests(text, context);
}

/** Several texts through the cache when the caller keeps one (./parse-cache.ts `parseAll`), in order. */
export function parseAllRendered(
  texts: ReadonlyArray<{ text: string; context: ParseContext }>,
  options: RenderOptions,
): Promise<RenderedManifest[]> | RenderedManifest[] {
  if (options.cache) return options.cache.parseAll(texts, options.record);
  return texts.flatMap(({ text, context }) => parseManifests(text, context));
}
