/**
 * Files of a folder dropped on a page, with their paths: a drop's `DataTransfer` holds entries
 * (`webkitGetAsEntry()`), not a flat list with relative paths, so the folders are walked here.
 * Feed the result to `FileListSource`.
 * @module
 */
import type { PathedFile } from './file-list.js';

/** The parts of `FileSystemEntry` (and its file / directory kinds) the walk uses. */
interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  file?(ok: (f: File) => void, fail?: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, fail?: (e: unknown) => void): void };
}

/** What a drop gives: `DataTransferItem`s (or anything with `webkitGetAsEntry`). */
interface ItemLike {
  readonly kind?: string;
  webkitGetAsEntry(): EntryLike | null;
}

async function walk(entry: EntryLike, prefix: string, out: PathedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
    out.push({ path, file });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries answers in batches (100 in Chromium) until an empty one.
    for (;;) {
      const batch = await new Promise<EntryLike[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, path, out);
    }
  }
}

/**
 * Every file under the dropped items, with its path from the dropped item (`NS1/spikesandwav/…`
 * for a dropped `NS1` folder). Call it synchronously inside the `drop` handler: the items are
 * read before the first `await` (the browser empties them when the handler returns).
 * @example
 * ```ts
 * zone.addEventListener('drop', async (ev) => {
 *   ev.preventDefault();
 *   const files = droppedFiles(ev.dataTransfer!.items); // before any await
 *   const ds = await NS1Dataset.load({ source: new FileListSource(await files) });
 * });
 * ```
 */
export function droppedFiles(items: ArrayLike<ItemLike> | Iterable<ItemLike>): Promise<PathedFile[]> {
  const entries = Array.from(items as ArrayLike<ItemLike>)
    .filter((i) => i.kind === undefined || i.kind === 'file')
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is EntryLike => e !== null);
  return (async () => {
    const out: PathedFile[] = [];
    for (const e of entries) await walk(e, '', out);
    return out;
  })();
}
