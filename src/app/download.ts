/** Hands bytes to the browser as a downloaded file. */
export function saveBytes(bytes: Uint8Array, mime: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  Object.assign(document.createElement('a'), { href: url, download: fileName }).click();
  // The click starts the download at once; the URL can go after it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
