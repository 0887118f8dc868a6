export interface FilePart {
  field?: string;
  /** Goes into `filename="..."` exactly as given, quotes and all: tests send hostile names too. */
  fileName?: string;
  /** Extra disposition parameters as sent, e.g. `filename*=UTF-8''a%0Ab.txt` (RFC 5987). */
  dispositionParams?: string;
  contentType?: string;
  content: Buffer | string;
}

/** A multipart/form-data body with these parts (files, or plain fields without a file name). */
export function multipart(...parts: FilePart[]) {
  const boundary = `----parley${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const isFile = p.fileName !== undefined || p.dispositionParams !== undefined;
    let disposition = `form-data; name="${p.field ?? 'file'}"`;
    if (p.fileName !== undefined) disposition += `; filename="${p.fileName}"`;
    if (p.dispositionParams !== undefined) disposition += `; ${p.dispositionParams}`;
    const type = isFile ? `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
