/**
 * A real baseline JPEG (ITU-T T.81), built in code so the repository holds no binary fixture:
 * one 8×8 grey block. Every segment is what a decoder needs and nothing more.
 */

const marker = (code: number, payload: number[]): number[] => {
  // T.81 §B.1.1.4: a segment's length counts its own two length bytes, not the marker.
  const length = payload.length + 2;
  return [0xff, code, length >> 8, length & 0xff, ...payload];
};

/** A Huffman table (T.81 §B.2.4.2) with a single code of length 1 for `symbol`. */
const singleCodeTable = (tableClassAndId: number, symbol: number): number[] =>
  marker(0xc4, [tableClassAndId, 1, ...new Array<number>(15).fill(0), symbol]);

export function tinyJpeg(): Buffer {
  const bytes = [
    0xff,
    0xd8, // SOI
    // APP0 JFIF 1.01, no thumbnail, so common viewers accept it as well as bare decoders.
    ...marker(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    // DQT: table 0, 8-bit precision, every coefficient divided by 1.
    ...marker(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    // SOF0 (baseline): 8-bit samples, 8 lines, 8 columns, one component (id 1, 1×1, table 0).
    ...marker(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    // DC table 0 codes only category 0 (difference 0); AC table 0 codes only EOB (0x00).
    ...singleCodeTable(0x00, 0x00),
    ...singleCodeTable(0x10, 0x00),
    // SOS: one component using DC/AC tables 0, spectral selection 0..63, no approximation.
    ...marker(0xda, [1, 1, 0x00, 0, 63, 0]),
    // Entropy-coded data: '0' (DC difference 0) then '0' (EOB); T.81 §F.1.2.3 pads with 1-bits.
    0b0011_1111,
    0xff,
    0xd9, // EOI
  ];
  return Buffer.from(bytes);
}
