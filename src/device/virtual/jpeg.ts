/**
 * A tiny valid baseline JPEG: one 8×8 grey block (DC only), with a comment segment that makes
 * every photo's bytes, and so its content hash, its own. Enough for any decoder, for file
 * tools and for the album sync, which only hashes and copies photos.
 *
 * Tables: quantisation all ones; DC Huffman codes for categories 0–11 all 4 bits long (0000,
 * 0001, ... in order); one AC code, "0", for end-of-block. The scan is one DC code, its extra
 * bits, and the end-of-block code, padded with ones (ITU T.81 F.1.2.1, F.1.2.2, B.2.4).
 */
export function tinyJpeg(grey: number, comment: string): Buffer {
  const segment = (marker: number, body: number[] | Buffer) =>
    Buffer.concat([
      Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]),
      Buffer.from(body),
    ]);
  const dcBits = [0, 0, 0, 12, ...new Array(12).fill(0)];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xfe, Buffer.from(comment, "utf8")),
    segment(0xdb, [0x00, ...new Array(64).fill(1)]),
    segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    segment(0xc4, [0x00, ...dcBits, ...Array.from({ length: 12 }, (_, i) => i)]),
    segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0x00]),
    segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    scan(Math.round((Math.max(0, Math.min(255, grey)) - 128) * 8)),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** The entropy-coded block: DC difference `dc` (the DC coefficient is 8× the level-shifted mean). */
function scan(dc: number): Buffer {
  const category = dc === 0 ? 0 : Math.floor(Math.log2(Math.abs(dc))) + 1;
  const extra = dc < 0 ? dc + (1 << category) - 1 : dc;
  let bits = category.toString(2).padStart(4, "0");
  if (category > 0) bits += extra.toString(2).padStart(category, "0");
  bits += "0";
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, "1");
  const bytes: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = Number.parseInt(bits.slice(i, i + 8), 2);
    bytes.push(byte);
    if (byte === 0xff) bytes.push(0x00);
  }
  return Buffer.from(bytes);
}
