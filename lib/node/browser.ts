/**
 * What a bundler for the browser gets for `stopgrad/node` (the `browser` condition of the
 * package's exports): a clear error instead of a failed `fs` import.
 */
export {};

throw new Error(
  "stopgrad/node needs Node's file system (save, load, saveGraph). In a browser, use toCheckpoint/fromCheckpoint and toSvg from 'stopgrad', " +
    'and keep the text in IndexedDB or offer it as a download.',
);
